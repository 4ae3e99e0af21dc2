import { moveClaim } from '../claims/history.ts';
import type { ClaimRow } from '../claims/store.ts';
import { businessDeadline, type Calendar } from '../marketplace/business-days.ts';
import type { Policy } from '../marketplace/policy.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { unprocessable } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { scheduleTimer } from '../platform/timers.ts';
import type { PolicyOnFile } from './compliance.ts';
import { coveringPolicy } from './cover.ts';
import { emitInsuranceEvent } from './events.ts';
import { type TenderRow, tendersOfClaim } from './store.ts';
import { INSURANCE_TIMERS } from './timer-kinds.ts';

interface Rules {
  policy: Policy;
  calendar: Calendar;
}

/**
 * Opens a tender: the insurer has the policy's business days to answer, as a seller has; its
 * silence is an answer too (see answer-tender.ts). The deductible is the seller's to bear.
 */
async function openTender(
  tx: Tx,
  ctx: AppContext,
  tender: {
    kind: 'claim' | 'recovery';
    claim: ClaimRow;
    recoveryId: string | null;
    policy: PolicyOnFile & { insurerId: string };
    amount: number;
    rules: Rules;
  },
): Promise<TenderRow> {
  const now = ctx.clock.now();
  const { claim, policy } = tender;
  if (!claim.seller_id) throw new Error(`claim ${claim.id} has no seller to tender for`);
  const dueAt = businessDeadline(
    now,
    tender.rules.policy.insurance.insurerResponseBusinessDays,
    tender.rules.calendar,
  );
  const row = await tx
    .insertInto('tenders')
    .values({
      id: newId('tender', ctx.clock),
      kind: tender.kind,
      marketplace_id: claim.marketplace_id,
      claim_id: claim.id,
      recovery_id: tender.recoveryId,
      seller_id: claim.seller_id,
      insurer_id: policy.insurerId,
      policy_id: policy.id,
      amount: tender.amount,
      deductible: Math.min(policy.deductible, tender.amount),
      currency: claim.currency,
      status: 'open',
      due_at: dueAt,
      question: null,
      information: null,
      decline_reason: null,
      payment_reference: null,
      answered_at: null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await scheduleTimer(tx, { kind: INSURANCE_TIMERS.tenderDue, subjectId: row.id, dueAt, now });
  await emitInsuranceEvent(tx, ctx.clock, {
    type: 'insurance.tender_opened',
    marketplaceId: claim.marketplace_id,
    subjectId: row.id,
    sellerId: claim.seller_id,
    insurerId: policy.insurerId,
    data: {
      kind: tender.kind,
      claimId: claim.id,
      amount: row.amount,
      deductible: row.deductible,
      dueAt: dueAt.toISOString(),
    },
  });
  return row;
}

/**
 * The seller tenders a claim: it goes to the insurer whose verified policy covered the
 * incident date, which now answers in the seller's place. A policy that already declined this
 * claim is not asked twice: the seller must accept or dispute.
 */
export async function tenderClaim(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  actor: Principal,
  rules: Rules,
): Promise<ClaimRow> {
  const policy = await coveringPolicy(tx, claim);
  if (!policy) {
    throw unprocessable(
      'body.action',
      'the seller has no verified insurance covering the incident date to tender to',
    );
  }
  const declined = (await tendersOfClaim(tx, claim.id)).some(
    (t) => t.kind === 'claim' && t.policy_id === policy.id && t.status === 'declined',
  );
  if (declined) {
    throw unprocessable(
      'body.action',
      `insurer ${policy.insurerId} already declined this claim: accept or dispute it`,
    );
  }
  const tender = await openTender(tx, ctx, {
    kind: 'claim',
    claim,
    recoveryId: null,
    policy,
    amount: claim.approved_amount ?? claim.amount,
    rules,
  });
  return moveClaim(
    tx,
    ctx.clock,
    claim,
    'awaiting_insurer',
    {
      type: 'claim.tendered',
      actor,
      reason: 'seller_tendered',
      data: {
        tenderId: tender.id,
        insurerId: policy.insurerId,
        policyId: policy.id,
        deadline: tender.due_at.toISOString(),
        timeZone: rules.calendar.timeZone,
      },
    },
    { insurer_id: policy.insurerId, covering_policy_id: policy.id },
  );
}

/** The marketplace paid and recovers from an insured seller: its insurer is asked first. */
export async function tenderRecovery(
  tx: Tx,
  ctx: AppContext,
  recovery: { id: string; amount: number },
  claim: ClaimRow,
  policy: PolicyOnFile & { insurerId: string },
  rules: Rules,
): Promise<TenderRow> {
  return openTender(tx, ctx, {
    kind: 'recovery',
    claim,
    recoveryId: recovery.id,
    policy,
    amount: recovery.amount,
    rules,
  });
}
