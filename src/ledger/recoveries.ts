/**
 * A recovery's life after the marketplace paid: opened (or waived) at the decision, tendered to the
 * seller's insurer, offset against the seller's proceeds, paid, written off, closed with its claim.
 * Over 400 lines on purpose: every move shares the one row writer (`updateRecovery`, checked against
 * `recovery-states.ts`) and the posting targets (`bookOf`); splitting it per move would scatter the
 * one place a recovery's status changes. The pure rules live in `recovery-rules.ts`, reversal after a
 * contest in `reverse-recovery.ts`.
 */
import type { QueryCreator, Selectable } from 'kysely';
import { moveClaim, recordClaimEvent } from '../claims/history.ts';
import { automationHalted } from '../claims/matters.ts';
import { type ClaimRow, lockClaim } from '../claims/store.ts';
import type { PolicyOnFile } from '../insurance/compliance.ts';
import { coveringPolicy } from '../insurance/cover.ts';
import { tenderRecovery } from '../insurance/tender-claim.ts';
import { withdrawOpenTender } from '../insurance/withdraw-tender.ts';
import { calendarDeadline } from '../marketplace/business-days.ts';
import type { Policy } from '../marketplace/policy.ts';
import { type Principal, systemPrincipal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Database, RecoveriesTable } from '../platform/db/database.ts';
import { holdWrites, writesHeld } from '../platform/db/held-writes.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError, notFound, unprocessable } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { Money } from '../platform/money.ts';
import { scheduleTimer } from '../platform/timers.ts';
import {
  type AccountRef,
  accountId,
  customerReceivable,
  sellerDisbursement,
  sellerReceivable,
} from './accounts.ts';
import { accountBalance, post } from './ledger-store.ts';
import {
  claimantRecoveryOpened,
  recoveryOffset,
  recoveryOpened,
  recoveryPaidByClaimant,
  recoveryPaidByInsurer,
  recoveryPaidBySeller,
  recoveryTendered,
  recoveryWaived,
  recoveryWrittenOff,
} from './postings.ts';
import { decideRecovery, sellerStanding } from './recovery-rules.ts';
import { type RecoveryStatus, recoveryStates, SETTLED_RECOVERY_STATUSES } from './recovery-states.ts';
import { loadWaiverFacts } from './recovery-store.ts';

export type RecoveryRow = Selectable<RecoveriesTable>;
export const RECOVERY_DUE_TIMER = 'recovery.due';

async function closeClaim(
  tx: Tx,
  ctx: AppContext,
  claimId: string,
  actor: Principal,
  reason: string,
): Promise<void> {
  const claim = await lockClaim(tx, claimId);
  // A matter is closed by a person only (claims/matters.ts), however its recovery ends.
  if (claim?.status === 'paid' && !automationHalted(claim)) {
    await moveClaim(tx, ctx.clock, claim, 'closed', { type: 'claim.closed', actor, reason });
  }
}

/** A recovery case of a claim, in the claim's marketplace and currency. */
async function insertRecovery(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  recovery: Pick<RecoveryRow, 'debtor' | 'amount' | 'status'> &
    Partial<Pick<RecoveryRow, 'seller_id' | 'customer_id' | 'waiver_reason' | 'due_at'>>,
): Promise<string> {
  const id = newId('recovery', ctx.clock);
  const now = ctx.clock.now();
  const insert = (qc: Tx | QueryCreator<Database>) =>
    qc.insertInto('recoveries').values({
      id,
      claim_id: claim.id,
      marketplace_id: claim.marketplace_id,
      currency: claim.currency,
      insurer_id: null,
      written_off_reason: null,
      created_at: now,
      updated_at: now,
      ...recovery,
    });
  // A settlement holds its writes (execute-payouts.ts): the new case, which nothing in the
  // transaction reads afterwards, joins them in its last statement.
  if (writesHeld(tx)) holdWrites(tx, () => [insert]);
  else await insert(tx).execute();
  return id;
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
  const facts = await loadWaiverFacts(tx, claim, claim.seller_id);
  if (!facts) return;
  const { seller, policy, calendar } = facts;
  const amount = claim.approved_amount ?? claim.amount;
  const decision = decideWaiver(claim, seller, policy, await coveringPolicy(tx, claim));
  const now = ctx.clock.now();
  const dueAt = decision.waived
    ? null
    : calendarDeadline(now, policy.insurance.proofOfInsuranceDays, calendar);
  const recoveryId = await insertRecovery(tx, ctx, claim, {
    debtor: 'seller',
    seller_id: seller.id,
    amount,
    status: decision.waived ? 'waived' : 'pending',
    waiver_reason: decision.waived ? decision.reason : null,
    due_at: dueAt,
  });
  if (decision.waived) {
    const recorded = await recordClaimEvent(tx, ctx.clock, claim, {
      type: 'claim.recovery_waived',
      actor,
      reason: decision.reason,
      data: { recoveryId, amount },
    });
    if (automationHalted(recorded)) return;
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

/**
 * The provider already had the payout when a flag was raised on the claim: the claimant owes
 * it back. The case opens invoiced (there is no proof-of-insurance window for a claimant), and
 * a seller recovery still waiting for its window is waived: the seller is not charged for a
 * payment the marketplace is taking back from the claimant.
 */
export async function openClaimantRecovery(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  recovery: { amount: number; actor: Principal; reason: string },
): Promise<ClaimRow> {
  const existing = await tx
    .selectFrom('recoveries')
    .selectAll()
    .where('claim_id', '=', claim.id)
    .forUpdate()
    .execute();
  if (existing.some((r) => r.debtor === 'customer')) return claim;
  let current = claim;
  const sellerCase = existing.find((r) => r.debtor === 'seller' && r.status === 'pending');
  if (sellerCase) {
    await post(tx, ctx.clock, {
      ...bookOf(sellerCase),
      posting: recoveryWaived(sellerOf(sellerCase), sellerCase.amount),
    });
    const waived = await updateRecovery(tx, ctx, sellerCase, {
      status: 'waived',
      waiver_reason: 'recovered_from_claimant',
    });
    current = await recordClaimEvent(tx, ctx.clock, current, {
      type: 'claim.recovery_updated',
      actor: recovery.actor,
      reason: 'recovered_from_claimant',
      data: { recoveryId: waived.id, status: waived.status },
    });
  }
  const recoveryId = await insertRecovery(tx, ctx, claim, {
    debtor: 'customer',
    customer_id: claim.customer_id,
    amount: recovery.amount,
    status: 'invoiced',
  });
  await post(tx, ctx.clock, {
    marketplaceId: claim.marketplace_id,
    currency: claim.currency,
    claimId: claim.id,
    posting: claimantRecoveryOpened(claim.customer_id, recovery.amount),
  });
  return recordClaimEvent(tx, ctx.clock, current, {
    type: 'claim.recovery_opened',
    actor: recovery.actor,
    reason: recovery.reason,
    data: { recoveryId, amount: recovery.amount, debtor: 'customer', dueAt: null },
  });
}

/** The waiver decision on what is known now: the seller's standing and its cover on the incident date. */
function decideWaiver(
  claim: ClaimRow,
  seller: { standing: string; insurance_status: string },
  policy: Policy,
  cover: PolicyOnFile | null,
) {
  return decideRecovery({
    amount: claim.approved_amount ?? claim.amount,
    smallClaimLimit: policy.smallClaimLimit,
    sellerStanding: sellerStanding(seller),
    insuredOnIncidentDate: cover !== null,
  });
}

/** Where a recovery's postings are booked: its marketplace, currency and claim. */
const bookOf = (r: RecoveryRow) => ({
  marketplaceId: r.marketplace_id,
  currency: r.currency,
  claimId: r.claim_id,
});

/** Seller cases only: a claimant's recovery is never offset, tendered or waived on insurance. */
function sellerOf(r: RecoveryRow): string {
  if (!r.seller_id) throw new Error(`recovery ${r.id} is owed by the claimant, not a seller`);
  return r.seller_id;
}

const debtorAccount = (r: RecoveryRow): AccountRef =>
  r.debtor === 'customer' && r.customer_id
    ? customerReceivable(r.customer_id)
    : sellerReceivable(sellerOf(r));

const lockRecovery = (tx: Tx, id: string) =>
  tx.selectFrom('recoveries').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

/** Every change to a recovery passes its transition table (recovery-states.ts). */
/** The one writer of a recovery's row: checks the move against the transition table first. */
export async function updateRecovery(
  tx: Tx,
  ctx: AppContext,
  recovery: Pick<RecoveryRow, 'id' | 'status'>,
  changes: Partial<RecoveryRow>,
): Promise<RecoveryRow> {
  recoveryStates.assertMove(recovery.id, recovery.status, changes.status);
  return tx
    .updateTable('recoveries')
    .set({ ...changes, updated_at: ctx.clock.now() })
    .where('id', '=', recovery.id)
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
  /** Claim columns that change with this step: written with its event, never on their own. */
  changes: { insurer_id?: string } = {},
) {
  const claim = await lockClaim(tx, recovery.claim_id);
  if (claim) {
    await recordClaimEvent(
      tx,
      ctx.clock,
      claim,
      {
        type: 'claim.recovery_updated',
        actor,
        reason,
        data: { recoveryId: recovery.id, status: recovery.status, ...data },
      },
      changes,
    );
  }
}

/**
 * The seller's window to show proof of insurance passed. Cover verified in that window for the
 * incident date still earns the waiver; otherwise the insurer whose policy covered the
 * incident is tendered the recovery, and an uninsured seller is charged.
 */
export async function collectRecovery(tx: Tx, ctx: AppContext, recoveryId: string): Promise<string> {
  const recovery = await lockRecovery(tx, recoveryId);
  if (recovery?.status !== 'pending') return 'stale';
  const actor = systemPrincipal('recovery-worker');
  const claim = await lockClaim(tx, recovery.claim_id);
  const facts = claim ? await loadWaiverFacts(tx, claim, sellerOf(recovery)) : null;
  if (!claim || !facts) return 'stale';
  const { seller, ...rules } = facts;
  // Taken now, so the policies the facts' statement read are not left for a later read.
  const cover = await coveringPolicy(tx, claim);
  // Litigation stops the recovery's deadline too; staff collect it by hand (or re-open it).
  if (automationHalted(claim)) return 'matter';
  const decision = decideWaiver(claim, seller, rules.policy, cover);
  if (decision.waived) {
    await post(tx, ctx.clock, {
      ...bookOf(recovery),
      posting: recoveryWaived(seller.id, recovery.amount),
    });
    const waived = await updateRecovery(tx, ctx, recovery, {
      status: 'waived',
      waiver_reason: decision.reason,
    });
    await recordOnClaim(tx, ctx, waived, actor, 'waived_on_proof_of_insurance', {});
    await closeClaim(tx, ctx, recovery.claim_id, actor, 'recovery_waived');
    return 'waived';
  }
  if (cover) {
    const tender = await tenderRecovery(tx, ctx, recovery, claim, cover, rules);
    const tendered = await updateRecovery(tx, ctx, recovery, {
      status: 'tendered_to_insurer',
      insurer_id: cover.insurerId,
    });
    await recordOnClaim(
      tx,
      ctx,
      tendered,
      actor,
      'tendered_to_insurer',
      { insurerId: cover.insurerId, tenderId: tender.id, dueAt: tender.due_at.toISOString() },
      { insurer_id: cover.insurerId },
    );
    return 'tendered';
  }
  return chargeSeller(tx, ctx, recovery, actor);
}

/**
 * What the seller owes is taken from the proceeds the marketplace holds for it, and the rest
 * is invoiced: after an uninsured claim, a declined or unanswered tender, or for the deductible
 * of one the insurer paid.
 */
export async function chargeSeller(
  tx: Tx,
  ctx: AppContext,
  recovery: RecoveryRow,
  actor: Principal,
): Promise<string> {
  const due = outstanding(recovery);
  const held = -(await accountBalance(
    tx,
    accountId(recovery.marketplace_id, sellerDisbursement(sellerOf(recovery))),
  ));
  const offset = Math.max(0, Math.min(held, due));
  if (offset > 0) {
    await post(tx, ctx.clock, {
      ...bookOf(recovery),
      posting: recoveryOffset(sellerOf(recovery), offset),
    });
  }
  const complete = offset === due;
  const status = !complete ? 'invoiced' : recovery.recovered_amount > 0 ? 'recovered' : 'offset';
  const updated = await updateRecovery(tx, ctx, recovery, {
    status,
    offset_amount: recovery.offset_amount + offset,
  });
  await recordOnClaim(tx, ctx, updated, actor, complete ? 'offset' : 'invoiced', {
    offset,
    invoiced: due - offset,
  });
  if (complete) await closeClaim(tx, ctx, recovery.claim_id, actor, 'recovered_by_offset');
  return complete ? 'offset' : 'invoiced';
}

/**
 * The insurer accepted a tendered recovery and paid its part (all but the deductible): the
 * seller's debt passes to the insurer, which pays it; the deductible is charged to the seller.
 */
export async function settleTenderedRecovery(
  tx: Tx,
  ctx: AppContext,
  recoveryId: string,
  payment: { insurerId: string; amount: number; reference: string; actor: Principal },
): Promise<void> {
  const recovery = await lockRecovery(tx, recoveryId);
  if (recovery?.status !== 'tendered_to_insurer') throw new Error(`recovery ${recoveryId} is not tendered`);
  const book = bookOf(recovery);
  if (payment.amount > 0) {
    await post(tx, ctx.clock, {
      ...book,
      posting: recoveryTendered(sellerOf(recovery), payment.insurerId, payment.amount),
    });
    await post(tx, ctx.clock, { ...book, posting: recoveryPaidByInsurer(payment.insurerId, payment.amount) });
  }
  const paid = await updateRecovery(tx, ctx, recovery, {
    recovered_amount: recovery.recovered_amount + payment.amount,
  });
  await recordOnClaim(tx, ctx, paid, payment.actor, 'payment_received', {
    amount: payment.amount,
    reference: payment.reference,
    from: 'insurer',
  });
  if (outstanding(paid) > 0) {
    await chargeSeller(tx, ctx, paid, payment.actor);
    return;
  }
  const recovered = await updateRecovery(tx, ctx, recovery, { status: 'recovered' });
  await recordOnClaim(tx, ctx, recovered, payment.actor, 'recovered', {});
  await closeClaim(tx, ctx, recovery.claim_id, payment.actor, 'recovered');
}

/** The insurer declined or did not answer: the seller is charged the whole recovery. */
export async function returnRecoveryToSeller(
  tx: Tx,
  ctx: AppContext,
  recoveryId: string,
  actor: Principal,
): Promise<void> {
  const recovery = await lockRecovery(tx, recoveryId);
  if (recovery?.status !== 'tendered_to_insurer') return;
  await chargeSeller(tx, ctx, recovery, actor);
}

const outstanding = (r: RecoveryRow) =>
  r.amount - r.offset_amount - r.recovered_amount - r.written_off_amount;

/** Money received from the seller (invoiced) or its insurer (tendered). */
export async function recordRecoveryPayment(
  tx: Tx,
  ctx: AppContext,
  actor: Principal,
  recoveryId: string,
  payment: { amount: Money; reference: string },
): Promise<RecoveryRow> {
  const recovery = await lockRecovery(tx, recoveryId);
  if (!recovery) throw notFound('recovery', recoveryId);
  // Money is booked in the recovery's own currency, and only money received counts.
  if (payment.amount.currency !== recovery.currency)
    throw unprocessable('body.amount.currency', `must be ${recovery.currency}`);
  if (payment.amount.value <= 0) throw unprocessable('body.amount.value', 'must be more than 0');
  const amount = payment.amount.value;
  if (recovery.status !== 'invoiced') {
    throw new AppError(
      'conflict',
      recovery.status === 'tendered_to_insurer'
        ? `recovery ${recoveryId} is tendered to ${recovery.insurer_id}: the insurer answers the tender`
        : `recovery ${recoveryId} is ${recovery.status}; payments are recorded on invoiced recoveries`,
    );
  }
  if (amount > outstanding(recovery)) {
    throw unprocessable('body.amount', `must not exceed the ${outstanding(recovery)} outstanding`);
  }
  const book = bookOf(recovery);
  const posting =
    recovery.debtor === 'customer' && recovery.customer_id
      ? recoveryPaidByClaimant(recovery.customer_id, amount)
      : recoveryPaidBySeller(sellerOf(recovery), amount);
  await post(tx, ctx.clock, { ...book, posting });
  const recovered = recovery.recovered_amount + amount;
  const complete = recovered + recovery.offset_amount === recovery.amount;
  const updated = await updateRecovery(tx, ctx, recovery, {
    recovered_amount: recovered,
    ...(complete ? { status: 'recovered' } : {}),
  });
  await recordOnClaim(tx, ctx, updated, actor, 'payment_received', {
    amount,
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
  if (SETTLED_RECOVERY_STATUSES.has(recovery.status as RecoveryStatus))
    throw new AppError('conflict', `recovery ${recoveryId} is already ${recovery.status}`);
  const left = outstanding(recovery);
  // A tendered debt stays the seller's until the insurer pays; the open tender is withdrawn.
  if (recovery.status === 'tendered_to_insurer') await withdrawOpenTender(tx, ctx, recovery.id, reason);
  if (left > 0) {
    await post(tx, ctx.clock, {
      ...bookOf(recovery),
      posting: recoveryWrittenOff(debtorAccount(recovery), left),
    });
  }
  const updated = await updateRecovery(tx, ctx, recovery, {
    status: 'written_off',
    written_off_amount: left,
    written_off_reason: reason,
  });
  await recordOnClaim(tx, ctx, updated, actor, 'written_off', { amount: left, note: reason });
  await closeClaim(tx, ctx, recovery.claim_id, actor, 'recovery_written_off');
  return updated;
}
