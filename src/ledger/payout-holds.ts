import { recordClaimEvent } from '../claims/history.ts';
import type { ClaimRow } from '../claims/store.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { post } from './ledger-store.ts';
import { claimAccrualReversed } from './postings.ts';
import { openClaimantRecovery } from './recoveries.ts';

/**
 * What a flag raised after approval found the claim's payout doing:
 * - `held`: it had not been leased; it now waits for a person and no worker will take it;
 * - `held_in_flight`: a worker was asking the provider; the hold is recorded on it, and the
 *   provider's answer decides: paid → recovery from the claimant, anything else → held;
 * - `already_paid`: the provider had paid; the claimant owes it back (a recovery is opened);
 * - `none`: the marketplace is not paying this claim (or no longer: failed, cancelled).
 */
export type HoldOutcome = 'held' | 'held_in_flight' | 'already_paid' | 'none';

/** The claim's payout, locked: callers lock the claim first, then this (the worker does the same). */
export const lockPayoutOfClaim = (tx: Tx, claimId: string) =>
  tx.selectFrom('payouts').selectAll().where('claim_id', '=', claimId).forUpdate().executeTakeFirst();

/**
 * A flag was raised on a locked claim: its marketplace payout stops wherever it is. The claim's
 * history says the payout is held ("we're checking a detail"), never which signal holds it.
 */
export async function holdPayout(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  hold: { reason: string; actor: Principal },
): Promise<{ outcome: HoldOutcome; claim: ClaimRow }> {
  const payout = await lockPayoutOfClaim(tx, claim.id);
  if (payout?.payer !== 'marketplace' || ['failed', 'cancelled'].includes(payout.status)) {
    return { outcome: 'none', claim };
  }
  if (payout.status === 'settled') {
    const recovering = await openClaimantRecovery(tx, ctx, claim, {
      amount: payout.amount,
      actor: hold.actor,
      reason: 'flagged_after_payment',
    });
    return { outcome: 'already_paid', claim: recovering };
  }
  const inFlight = payout.status === 'executing';
  if (payout.held_at) return { outcome: inFlight ? 'held_in_flight' : 'held', claim };
  await tx
    .updateTable('payouts')
    .set({
      held_at: ctx.clock.now(),
      hold_reason: hold.reason,
      // An executing payout keeps its lease: the worker records the provider's answer.
      ...(inFlight ? {} : { status: 'held', next_attempt_at: null }),
    })
    .where('id', '=', payout.id)
    .execute();
  const held = await recordClaimEvent(tx, ctx.clock, claim, {
    type: 'claim.payout_held',
    actor: hold.actor,
    reason: 'checking_a_detail',
    data: { payoutId: payout.id, providerAlreadyAsked: inFlight },
  });
  return { outcome: inFlight ? 'held_in_flight' : 'held', claim: held };
}

/**
 * The flag was cleared: a held payout is due again (not before the claim's evidence window
 * ends). Returns the payout id, or null when nothing was held.
 */
export async function releaseHeldPayout(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  approvedAmount: number,
): Promise<string | null> {
  const payout = await lockPayoutOfClaim(tx, claim.id);
  if (payout?.status !== 'held') return null;
  const now = ctx.clock.now();
  const due = claim.evidence_due_at && claim.evidence_due_at > now ? claim.evidence_due_at : now;
  // An agent may approve less than was queued: the difference leaves the customer's payable.
  if (approvedAmount < payout.amount) {
    await post(tx, ctx.clock, {
      marketplaceId: payout.marketplace_id,
      currency: payout.currency,
      claimId: claim.id,
      posting: claimAccrualReversed(payout.customer_id, payout.amount - approvedAmount),
    });
  }
  await tx
    .updateTable('payouts')
    .set({
      status: 'pending',
      amount: Math.min(approvedAmount, payout.amount),
      next_attempt_at: due,
      held_at: null,
      hold_reason: null,
    })
    .where('id', '=', payout.id)
    .execute();
  return payout.id;
}

/** The flag was upheld: the held payout is cancelled and its cost reversed. */
export async function cancelHeldPayout(tx: Tx, ctx: AppContext, claim: ClaimRow): Promise<string | null> {
  const payout = await lockPayoutOfClaim(tx, claim.id);
  if (payout?.status !== 'held') return null;
  await tx
    .updateTable('payouts')
    .set({ status: 'cancelled', next_attempt_at: null, last_error: 'flag upheld: payout cancelled' })
    .where('id', '=', payout.id)
    .execute();
  await post(tx, ctx.clock, {
    marketplaceId: payout.marketplace_id,
    currency: payout.currency,
    claimId: claim.id,
    posting: claimAccrualReversed(payout.customer_id, payout.amount),
  });
  return payout.id;
}
