import { recordClaimEvent } from '../claims/history.ts';
import type { ClaimRow } from '../claims/store.ts';
import { withdrawOpenTender } from '../insurance/withdraw-tender.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError } from '../platform/errors.ts';
import { post } from './ledger-store.ts';
import { recoveryRefunded, recoveryReversed } from './postings.ts';
import { updateRecovery } from './recoveries.ts';
import { REVERSIBLE_RECOVERY_STATUSES } from './recovery-states.ts';

export interface ReversedRecovery {
  recoveryId: string;
  /** What the seller still owed, cancelled. */
  cancelled: number;
  /** What had been taken (offset from its proceeds, or paid on the invoice), owed back to it. */
  refunded: number;
}

/**
 * A contest decided in the seller's favour: every seller recovery of the claim that charged or
 * may still charge it is reversed in the ledger. The receivable left is cancelled against the
 * guarantee fund; what was already taken is credited back to the seller's disbursement balance
 * (the marketplace pays it out with its next disbursement). A waived, written-off or claimant's
 * recovery charged the seller nothing and is left alone. Returns the claim after its events.
 */
export async function reverseSellerRecoveries(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  actor: Principal,
): Promise<{ claim: ClaimRow; reversed: ReversedRecovery[] }> {
  const recoveries = await tx
    .selectFrom('recoveries')
    .selectAll()
    .where('claim_id', '=', claim.id)
    .where('debtor', '=', 'seller')
    .where('status', 'in', REVERSIBLE_RECOVERY_STATUSES)
    .forUpdate()
    .execute();
  const reversed: ReversedRecovery[] = [];
  let current = claim;
  for (const recovery of recoveries) {
    const sellerId = recovery.seller_id;
    if (!sellerId) continue;
    // Money an insurer paid on a tender is the insurer's to get back under its own policy terms,
    // not a credit to the seller: refused rather than guessed (an agent writes it off or settles
    // it with the insurer outside Redress, then decides).
    if (recovery.insurer_id && recovery.recovered_amount > 0) {
      throw new AppError(
        'conflict',
        `recovery ${recovery.id} was paid in part by insurer ${recovery.insurer_id}; settle that with the insurer before reversing`,
      );
    }
    if (recovery.status === 'tendered_to_insurer')
      await withdrawOpenTender(tx, ctx, recovery.id, 'contest_reversed');
    const taken = recovery.offset_amount + recovery.recovered_amount;
    const cancelled = recovery.amount - taken - recovery.written_off_amount;
    const book = {
      marketplaceId: recovery.marketplace_id,
      currency: recovery.currency,
      claimId: recovery.claim_id,
    };
    if (cancelled > 0) await post(tx, ctx.clock, { ...book, posting: recoveryReversed(sellerId, cancelled) });
    if (taken > 0) await post(tx, ctx.clock, { ...book, posting: recoveryRefunded(sellerId, taken) });
    await updateRecovery(tx, ctx, recovery, { status: 'reversed' });
    current = await recordClaimEvent(tx, ctx.clock, current, {
      type: 'claim.recovery_updated',
      actor,
      reason: 'reversed',
      data: { recoveryId: recovery.id, status: 'reversed', cancelled, refunded: taken },
    });
    reversed.push({ recoveryId: recovery.id, cancelled, refunded: taken });
  }
  return { claim: current, reversed };
}
