import { z } from 'zod';
import { loadClaimPolicy } from '../claims/claim-policy.ts';
import { moveClaim, recordClaimEvent } from '../claims/history.ts';
import { automationHalted } from '../claims/matters.ts';
import { notifySeller } from '../claims/outcomes.ts';
import { backToSeller } from '../claims/routing.ts';
import { stepIn } from '../claims/step-in.ts';
import { type ClaimRow, lockClaim } from '../claims/store.ts';
import { recordPaymentByPayer } from '../ledger/confirm-payment.ts';
import { returnRecoveryToSeller, settleTenderedRecovery } from '../ledger/recoveries.ts';
import { businessDeadline } from '../marketplace/business-days.ts';
import { isStaff, type Principal, systemPrincipal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { scheduleTimer } from '../platform/timers.ts';
import { emitInsuranceEvent } from './events.ts';
import { lockTender, type TenderRow } from './store.ts';
import { INSURANCE_TIMERS } from './timer-kinds.ts';
import { OPEN_TENDER_STATUSES, updateTender } from './withdraw-tender.ts';

export const ZTenderAnswer = z
  .discriminatedUnion('action', [
    z.object({
      action: z.literal('accept'),
      paymentReference: z
        .string()
        .trim()
        .min(3)
        .max(200)
        .describe(
          'The insurer’s reference for its payment: to the customer (claim) or the marketplace (recovery)',
        ),
    }),
    z.object({
      action: z.literal('decline'),
      reason: z.string().trim().min(10, 'must say why in at least 10 characters').max(5000),
    }),
    z.object({
      action: z.literal('request_info'),
      question: z.string().trim().min(10, 'must ask in at least 10 characters').max(5000),
    }),
  ])
  .meta({ example: { action: 'accept', paymentReference: 'HM-CLM-2026-44812' } });

export type TenderAnswer = z.infer<typeof ZTenderAnswer>;

/** A tender that waits for an answer, locked, for a party of one of `roles` that may see it. */
async function lockOpenTender(tx: Tx, principal: Principal, tenderId: string, roles: string[]) {
  const tender = await lockTender(tx, tenderId);
  if (!tender || !canSeeTender(principal, tender) || !roles.includes(principal.role)) {
    throw notFound('tender', tenderId);
  }
  if (!OPEN_TENDER_STATUSES.has(tender.status)) {
    throw new AppError('conflict', `tender ${tenderId} is ${tender.status}`, {
      extra: { currentStatus: tender.status },
    });
  }
  return tender;
}

/** Insurers see the tenders made to them, sellers their own, staff all. */
export function canSeeTender(principal: Principal, tender: TenderRow): boolean {
  if (isStaff(principal)) return true;
  if (principal.role === 'insurer') return tender.insurer_id === principal.partyId;
  if (principal.role === 'seller') return tender.seller_id === principal.partyId;
  return false;
}

/**
 * The insurer's answer. Accepting means paying: a claim's customer in full (the deductible is
 * the seller's to settle with its insurer), or the marketplace its recovery less the
 * deductible, which the marketplace then charges the seller. Declining hands the claim back to
 * the seller with a fresh deadline, or charges the seller the recovery. A question pauses
 * nothing: the deadline keeps running until the seller answers it.
 */
export async function answerTender(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  tenderId: string,
  answer: TenderAnswer,
): Promise<TenderRow> {
  const tender = await lockOpenTender(tx, principal, tenderId, ['insurer']);
  const claim = await lockClaim(tx, tender.claim_id);
  if (!claim) throw new Error(`tender ${tenderId} refers to a missing claim`);
  const now = ctx.clock.now();
  let answered: TenderRow;
  if (answer.action === 'request_info') {
    answered = await updateTender(tx, ctx, tender, { status: 'info_requested', question: answer.question });
    if (tender.kind === 'claim') {
      await recordClaimEvent(tx, ctx.clock, claim, {
        type: 'claim.tender_info_requested',
        actor: principal,
        reason: 'insurer_question',
        data: { tenderId, question: answer.question, dueAt: tender.due_at.toISOString() },
      });
    }
  } else if (answer.action === 'accept') {
    answered = await updateTender(tx, ctx, tender, {
      status: 'accepted',
      payment_reference: answer.paymentReference,
      answered_at: now,
    });
    if (tender.kind === 'claim')
      await insurerPaysClaim(tx, ctx, claim, tender, answer.paymentReference, principal);
    else if (tender.recovery_id) {
      await settleTenderedRecovery(tx, ctx, tender.recovery_id, {
        insurerId: tender.insurer_id,
        amount: tender.amount - tender.deductible,
        reference: answer.paymentReference,
        actor: principal,
      });
    }
  } else {
    answered = await updateTender(tx, ctx, tender, {
      status: 'declined',
      decline_reason: answer.reason,
      answered_at: now,
    });
    if (tender.kind === 'claim') await handBackToSeller(tx, ctx, claim, tender, answer.reason, principal);
    else if (tender.recovery_id) await returnRecoveryToSeller(tx, ctx, tender.recovery_id, principal);
  }
  await emitInsuranceEvent(tx, ctx.clock, {
    type: 'insurance.tender_answered',
    marketplaceId: tender.marketplace_id,
    subjectId: tender.id,
    sellerId: tender.seller_id,
    insurerId: tender.insurer_id,
    data: { action: answer.action, kind: tender.kind, claimId: tender.claim_id },
  });
  return answered;
}

async function insurerPaysClaim(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  tender: TenderRow,
  reference: string,
  actor: Principal,
) {
  const approved = await moveClaim(
    tx,
    ctx.clock,
    claim,
    'approved',
    {
      type: 'claim.approved',
      actor,
      reason: 'insurer_accepted',
      data: { payer: 'insurer', stepIn: false, tenderId: tender.id, coveringPolicyId: tender.policy_id },
    },
    {
      payer: 'insurer',
      step_in: false,
      decided_at: ctx.clock.now(),
      approved_amount: claim.approved_amount ?? claim.amount,
      covering_policy_id: tender.policy_id,
    },
  );
  await recordPaymentByPayer(tx, ctx, approved, { payer: 'insurer', reference, actor });
}

async function handBackToSeller(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  tender: TenderRow,
  reason: string,
  actor: Principal,
) {
  const rules = await loadClaimPolicy(tx, claim);
  const returned = await moveClaim(
    tx,
    ctx.clock,
    claim,
    'awaiting_seller',
    {
      type: 'claim.tender_declined',
      actor,
      reason: 'insurer_declined',
      data: { tenderId: tender.id, note: reason },
    },
    { seller_response: null, insurer_id: null },
  );
  await notifySeller(tx, ctx, returned, backToSeller(), actor, rules);
}

export const ZTenderInformation = z
  .object({ information: z.string().trim().min(10, 'must answer in at least 10 characters').max(20_000) })
  .meta({
    example: {
      information:
        'The unit was sold on 2 November; the batch passed UL testing (report attached to the claim).',
    },
  });

/**
 * The seller (or an agent for it) answers the insurer's question. The insurer then has a
 * fresh full deadline, never a shorter one than it had.
 */
export async function provideTenderInformation(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  tenderId: string,
  input: z.infer<typeof ZTenderInformation>,
): Promise<TenderRow> {
  const tender = await lockOpenTender(tx, principal, tenderId, ['seller', 'agent', 'admin']);
  if (tender.status !== 'info_requested') {
    throw new AppError('conflict', `the insurer asked nothing on tender ${tenderId}`, {
      extra: { currentStatus: tender.status },
    });
  }
  const claim = await lockClaim(tx, tender.claim_id);
  if (!claim) throw new Error(`tender ${tenderId} refers to a missing claim`);
  const { policy, calendar } = await loadClaimPolicy(tx, claim);
  const now = ctx.clock.now();
  const fresh = businessDeadline(now, policy.insurance.insurerResponseBusinessDays, calendar);
  const dueAt = fresh > tender.due_at ? fresh : tender.due_at;
  const updated = await updateTender(tx, ctx, tender, {
    status: 'open',
    information: input.information,
    due_at: dueAt,
  });
  if (dueAt !== tender.due_at) {
    await scheduleTimer(tx, { kind: INSURANCE_TIMERS.tenderDue, subjectId: tender.id, dueAt, now });
  }
  await emitInsuranceEvent(tx, ctx.clock, {
    type: 'insurance.tender_information_provided',
    marketplaceId: tender.marketplace_id,
    subjectId: tender.id,
    sellerId: tender.seller_id,
    insurerId: tender.insurer_id,
    data: { claimId: tender.claim_id, dueAt: dueAt.toISOString() },
  });
  return updated;
}

/**
 * The insurer's deadline passed. As with a silent seller, the customer is not left waiting:
 * the marketplace steps in and pays a tendered claim (and recovers later); a tendered
 * recovery is charged to the seller.
 */
export async function expireTender(tx: Tx, ctx: AppContext, tenderId: string): Promise<string> {
  const tender = await lockTender(tx, tenderId);
  if (!tender || !OPEN_TENDER_STATUSES.has(tender.status) || tender.due_at > ctx.clock.now()) return 'stale';
  const actor = systemPrincipal('insurer-deadline');
  await updateTender(tx, ctx, tender, { status: 'expired' });
  if (tender.kind === 'claim') {
    const claim = await lockClaim(tx, tender.claim_id);
    if (claim?.status === 'awaiting_insurer' && !automationHalted(claim)) {
      const expired = await recordClaimEvent(tx, ctx.clock, claim, {
        type: 'claim.tender_expired',
        actor,
        reason: 'insurer_silent',
        data: { tenderId },
      });
      await stepIn(tx, ctx, expired, 'insurer_silent', { actor });
    }
  } else if (tender.recovery_id) {
    await returnRecoveryToSeller(tx, ctx, tender.recovery_id, actor);
  }
  await emitInsuranceEvent(tx, ctx.clock, {
    type: 'insurance.tender_expired',
    marketplaceId: tender.marketplace_id,
    subjectId: tender.id,
    sellerId: tender.seller_id,
    insurerId: tender.insurer_id,
    data: { kind: tender.kind, claimId: tender.claim_id },
  });
  return 'expired';
}
