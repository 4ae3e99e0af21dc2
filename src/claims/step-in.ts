import { queueMarketplacePayout } from '../ledger/payouts.ts';
import type { Calendar } from '../marketplace/business-days.ts';
import type { Policy } from '../marketplace/policy.ts';
import { type Principal, systemPrincipal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { loadClaimPolicy } from './claim-policy.ts';
import { recordClaimEvent } from './history.ts';
import { applyRouting } from './outcomes.ts';
import { marketplaceStepsIn } from './routing.ts';
import type { ClaimRow } from './store.ts';

/**
 * Why the marketplace pays in a seller's or insurer's place, recorded as `cause` on the
 * `claim.stepped_in` event so a report can count step-ins by cause:
 * - `seller_silent`: the seller did not answer by its deadline (claims/timers.ts);
 * - `dispute_rejected`: an agent held valid a claim the seller disputed, or on appeal one the
 *   seller had already been asked to pay (decide-claim.ts);
 * - `insurer_silent`: the seller tendered the claim and the insurer did not answer in time
 *   (insurance/answer-tender.ts);
 * - `payment_unconfirmed`: the seller or insurer accepted but did not confirm payment in time
 *   (ledger/timers.ts).
 */
export const STEP_IN_CAUSES = [
  'seller_silent',
  'dispute_rejected',
  'insurer_silent',
  'payment_unconfirmed',
] as const;
export type StepInCause = (typeof STEP_IN_CAUSES)[number];

/** The system actor and history reason of each cause a timer fires; a person's decision brings its own. */
const DEADLINE_OF_CAUSE: Record<StepInCause, { actor: string; reason: string }> = {
  seller_silent: { actor: 'seller-deadline', reason: 'seller_silent' },
  dispute_rejected: { actor: 'dispute-review', reason: 'dispute_rejected' },
  insurer_silent: { actor: 'insurer-deadline', reason: 'insurer_silent' },
  // The reason parties already see (notifications/catalogue.ts) stays as it was.
  payment_unconfirmed: { actor: 'payment-deadline', reason: 'payment_not_confirmed' },
};

export interface StepInOptions {
  /** Who decided, when a person did (an agent approving a disputed claim); a system deadline otherwise. */
  actor?: Principal;
  reason?: string;
  rules?: { policy: Policy; calendar: Calendar };
}

/**
 * The one place where the marketplace takes over paying a claim from its seller or insurer: it
 * becomes the payer, the claim's history gets `claim.stepped_in` with the cause, and the
 * marketplace's payout is queued in the same transaction. The marketplace then recovers from the
 * seller (ledger/recoveries.ts). `claim` must be locked by the caller, who has checked that the
 * claim is still waiting on the party that failed.
 */
export async function stepIn(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  cause: StepInCause,
  options: StepInOptions = {},
): Promise<ClaimRow> {
  const actor = options.actor ?? systemPrincipal(DEADLINE_OF_CAUSE[cause].actor);
  const reason = options.reason ?? DEADLINE_OF_CAUSE[cause].reason;
  if (claim.status === 'approved') {
    // Already approved with the seller or insurer as payer: only the payer changes, the
    // decision (amount, covering policy) stands.
    const steppedIn = await recordClaimEvent(
      tx,
      ctx.clock,
      claim,
      {
        type: 'claim.stepped_in',
        actor,
        reason,
        data: { previousPayer: claim.payer, payer: 'marketplace', stepIn: true, cause },
      },
      { payer: 'marketplace', step_in: true },
    );
    await queueMarketplacePayout(tx, ctx, steppedIn);
    return steppedIn;
  }
  const rules = options.rules ?? (await loadClaimPolicy(tx, claim));
  // applyRouting approves the claim with the marketplace as payer and queues its payout.
  return applyRouting(tx, ctx, claim, marketplaceStepsIn(), actor, rules, reason, { cause });
}
