import { holdPayout } from '../ledger/payout-holds.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { referClaim } from '../screening/refer-to-expert.ts';
import { moveClaim } from './history.ts';
import { type ClaimRow, lockClaim } from './store.ts';

export const FLAGGED_AFTER_APPROVAL = 'flagged_after_approval';

/**
 * Nothing is paid while a flag is open. A flag raised on a locked claim the marketplace already
 * approved (a reused photo arriving after filing) holds its payout and sends the claim to a
 * person; if the provider already paid, the claimant owes it back (see ledger/payout-holds.ts).
 */
export async function holdFlaggedClaim(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  flag: { reason: string; actor: Principal },
): Promise<ClaimRow> {
  const { outcome, claim: held } = await holdPayout(tx, ctx, claim, flag);
  // The claim's history is read by the claimant: it says a flag holds the payout, never which.
  const review = { actor: flag.actor, reason: FLAGGED_AFTER_APPROVAL };
  // In flight, the claim stays approved until the provider answers: the worker sends it to
  // review if the money did not leave, or to recovery from the claimant if it did.
  return outcome === 'held' ? sendHeldClaimToReview(tx, ctx, held, review) : held;
}

/** To an expert if one is on file (the fewest open referrals), else to an agent's risk review. */
export async function sendHeldClaimToReview(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  flag: { reason: string; actor: Principal },
): Promise<ClaimRow> {
  if (claim.status !== 'approved') return claim;
  const referral = await referClaim(tx, ctx, claim, flag);
  if (referral) return (await lockClaim(tx, claim.id)) ?? claim;
  return moveClaim(
    tx,
    ctx.clock,
    claim,
    'under_review',
    { type: 'claim.review_started', actor: flag.actor, reason: flag.reason, data: { reviewKind: 'risk' } },
    { review_kind: 'risk' },
  );
}
