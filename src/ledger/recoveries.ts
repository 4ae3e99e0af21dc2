import type { Selectable } from 'kysely';
import { loadClaimPolicy } from '../claims/claim-policy.ts';
import { moveClaim, recordClaimEvent } from '../claims/history.ts';
import { type ClaimRow, lockClaim } from '../claims/store.ts';
import { calendarDeadline } from '../marketplace/business-days.ts';
import { findSeller } from '../marketplace/store.ts';
import { type Principal, systemPrincipal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { RecoveriesTable } from '../platform/db/database.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError, notFound, unprocessable } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { scheduleTimer } from '../platform/timers.ts';
import { accountId, insurerReceivable, sellerDisbursement, sellerReceivable } from './accounts.ts';
import { accountBalance, post } from './ledger-store.ts';
import {
  recoveryOffset,
  recoveryOpened,
  recoveryPaidByInsurer,
  recoveryPaidBySeller,
  recoveryTendered,
  recoveryWrittenOff,
} from './postings.ts';
import { decideRecovery, insuredOn } from './recovery-rules.ts';

export type RecoveryRow = Selectable<RecoveriesTable>;
export const RECOVERY_DUE_TIMER = 'recovery.due';

const FINAL = new Set(['waived', 'offset', 'recovered', 'written_off']);

async function closeClaim(
  tx: Tx,
  ctx: AppContext,
  claimId: string,
  actor: Principal,
  reason: string,
): Promise<void> {
  const claim = await lockClaim(tx, claimId);
  if (claim?.status === 'paid') {
    await moveClaim(tx, ctx.clock, claim, 'closed', { type: 'claim.closed', actor, reason });
  }
}

/**
 * After the marketplace paid a claim: waive recovery (small claim, compliant insured seller)
 * or open a recovery case. The seller is not debited before its window to show proof of
 * insurance has passed: a debit before the reply-by date is what sellers resent most.
 */
export async function openRecovery(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  actor: Principal,
): Promise<void> {
  if (!claim.seller_id) return;
  const seller = await findSeller(tx, claim.seller_id);
  if (!seller) return;
  const { policy, calendar } = await loadClaimPolicy(tx, claim);
  const amount = claim.approved_amount ?? claim.amount;
  const decision = decideRecovery({
    amount,
    smallClaimLimit: policy.smallClaimLimit,
    sellerStanding: seller.standing,
    insuredOnIncidentDate: insuredOn(seller, claim.incident_at),
  });
  const now = ctx.clock.now();
  const dueAt = decision.waived
    ? null
    : calendarDeadline(now, policy.insurance.proofOfInsuranceDays, calendar);
  const recoveryId = newId('recovery', ctx.clock);
  await tx
    .insertInto('recoveries')
    .values({
      id: recoveryId,
      claim_id: claim.id,
      marketplace_id: claim.marketplace_id,
      seller_id: seller.id,
      insurer_id: null,
      amount,
      currency: claim.currency,
      status: decision.waived ? 'waived' : 'pending',
      waiver_reason: decision.waived ? decision.reason : null,
      written_off_reason: null,
      due_at: dueAt,
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (decision.waived) {
    const recorded = await recordClaimEvent(tx, ctx.clock, claim, {
      type: 'claim.recovery_waived',
      actor,
      reason: decision.reason,
      data: { recoveryId, amount },
    });
    await moveClaim(tx, ctx.clock, recorded, 'closed', {
      type: 'claim.closed',
      actor,
      reason: 'recovery_waived',
    });
    return;
  }
  await post(tx, ctx.clock, {
    marketplaceId: claim.marketplace_id,
    currency: claim.currency,
    claimId: claim.id,
    posting: recoveryOpened(seller.id, amount),
  });
  await recordClaimEvent(tx, ctx.clock, claim, {
    type: 'claim.recovery_opened',
    actor,
    reason: decision.reasons.join(','),
    data: { recoveryId, amount, dueAt: dueAt?.toISOString() ?? null },
  });
  if (dueAt) await scheduleTimer(tx, { kind: RECOVERY_DUE_TIMER, subjectId: recoveryId, dueAt, now });
}

const lockRecovery = (tx: Tx, id: string) =>
  tx.selectFrom('recoveries').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

async function updateRecovery(
  tx: Tx,
  ctx: AppContext,
  id: string,
  changes: Partial<RecoveryRow>,
): Promise<RecoveryRow> {
  return tx
    .updateTable('recoveries')
    .set({ ...changes, updated_at: ctx.clock.now() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

async function recordOnClaim(
  tx: Tx,
  ctx: AppContext,
  recovery: RecoveryRow,
  actor: Principal,
  reason: string,
  data: Record<string, unknown>,
) {
  const claim = await lockClaim(tx, recovery.claim_id);
  if (claim) {
    await recordClaimEvent(tx, ctx.clock, claim, {
      type: 'claim.recovery_updated',
      actor,
      reason,
      data: { recoveryId: recovery.id, status: recovery.status, ...data },
    });
  }
}

/**
 * The seller's window passed: tender to its insurer when it was insured on the incident date,
 * otherwise take what its disbursement balance holds and invoice the rest.
 */
export async function collectRecovery(tx: Tx, ctx: AppContext, recoveryId: string): Promise<string> {
  const recovery = await lockRecovery(tx, recoveryId);
  if (recovery?.status !== 'pending') return 'stale';
  const actor = systemPrincipal('recovery-worker');
  const claim = await lockClaim(tx, recovery.claim_id);
  const seller = await findSeller(tx, recovery.seller_id);
  if (!claim || !seller) return 'stale';
  const book = {
    marketplaceId: recovery.marketplace_id,
    currency: recovery.currency,
    claimId: recovery.claim_id,
  };
  if (seller.insurer_id && insuredOn(seller, claim.incident_at)) {
    await post(tx, ctx.clock, {
      ...book,
      posting: recoveryTendered(seller.id, seller.insurer_id, recovery.amount),
    });
    const tendered = await updateRecovery(tx, ctx, recovery.id, {
      status: 'tendered_to_insurer',
      insurer_id: seller.insurer_id,
    });
    await recordOnClaim(tx, ctx, tendered, actor, 'tendered_to_insurer', { insurerId: seller.insurer_id });
    return 'tendered';
  }
  const held = -(await accountBalance(tx, accountId(recovery.marketplace_id, sellerDisbursement(seller.id))));
  const offset = Math.max(0, Math.min(held, recovery.amount));
  if (offset > 0) await post(tx, ctx.clock, { ...book, posting: recoveryOffset(seller.id, offset) });
  const complete = offset === recovery.amount;
  const updated = await updateRecovery(tx, ctx, recovery.id, {
    status: complete ? 'offset' : 'invoiced',
    offset_amount: offset,
  });
  await recordOnClaim(tx, ctx, updated, actor, complete ? 'offset' : 'invoiced', {
    offset,
    invoiced: recovery.amount - offset,
  });
  if (complete) await closeClaim(tx, ctx, recovery.claim_id, actor, 'recovered_by_offset');
  return complete ? 'offset' : 'invoiced';
}

const outstanding = (r: RecoveryRow) =>
  r.amount - r.offset_amount - r.recovered_amount - r.written_off_amount;

/** Money received from the seller (invoiced) or its insurer (tendered). */
export async function recordRecoveryPayment(
  tx: Tx,
  ctx: AppContext,
  actor: Principal,
  recoveryId: string,
  payment: { amount: number; reference: string },
): Promise<RecoveryRow> {
  const recovery = await lockRecovery(tx, recoveryId);
  if (!recovery) throw notFound('recovery', recoveryId);
  if (recovery.status !== 'invoiced' && recovery.status !== 'tendered_to_insurer') {
    throw new AppError(
      'conflict',
      `recovery ${recoveryId} is ${recovery.status}; payments are recorded on invoiced or tendered recoveries`,
    );
  }
  if (payment.amount > outstanding(recovery)) {
    throw unprocessable('body.amount', `must not exceed the ${outstanding(recovery)} outstanding`);
  }
  const book = {
    marketplaceId: recovery.marketplace_id,
    currency: recovery.currency,
    claimId: recovery.claim_id,
  };
  const posting =
    recovery.status === 'tendered_to_insurer' && recovery.insurer_id
      ? recoveryPaidByInsurer(recovery.insurer_id, payment.amount)
      : recoveryPaidBySeller(recovery.seller_id, payment.amount);
  await post(tx, ctx.clock, { ...book, posting });
  const recovered = recovery.recovered_amount + payment.amount;
  const complete = recovered + recovery.offset_amount === recovery.amount;
  const updated = await updateRecovery(tx, ctx, recovery.id, {
    recovered_amount: recovered,
    ...(complete ? { status: 'recovered' } : {}),
  });
  await recordOnClaim(tx, ctx, updated, actor, 'payment_received', {
    amount: payment.amount,
    reference: payment.reference,
  });
  if (complete) await closeClaim(tx, ctx, recovery.claim_id, actor, 'recovered');
  return updated;
}

/** An agent gives up on what is left; the guarantee bears it. */
export async function writeOffRecovery(
  tx: Tx,
  ctx: AppContext,
  actor: Principal,
  recoveryId: string,
  reason: string,
): Promise<RecoveryRow> {
  const recovery = await lockRecovery(tx, recoveryId);
  if (!recovery) throw notFound('recovery', recoveryId);
  if (FINAL.has(recovery.status))
    throw new AppError('conflict', `recovery ${recoveryId} is already ${recovery.status}`);
  const left = outstanding(recovery);
  const debtor =
    recovery.status === 'tendered_to_insurer' && recovery.insurer_id
      ? insurerReceivable(recovery.insurer_id)
      : sellerReceivable(recovery.seller_id);
  if (left > 0) {
    await post(tx, ctx.clock, {
      marketplaceId: recovery.marketplace_id,
      currency: recovery.currency,
      claimId: recovery.claim_id,
      posting: recoveryWrittenOff(debtor, left),
    });
  }
  const updated = await updateRecovery(tx, ctx, recovery.id, {
    status: 'written_off',
    written_off_amount: left,
    written_off_reason: reason,
  });
  await recordOnClaim(tx, ctx, updated, actor, 'written_off', { amount: left, note: reason });
  await closeClaim(tx, ctx, recovery.claim_id, actor, 'recovery_written_off');
  return updated;
}
