import { systemPrincipal } from '../platform/auth/roles.ts';
import type { TimerRegistry } from '../platform/timers.ts';
import { loadClaimPolicy } from './claim-policy.ts';
import { escalateReview } from './escalate-review.ts';
import { moveClaim } from './history.ts';
import { automationHalted } from './matters.ts';
import { denyClaim } from './outcomes.ts';
import { isReviewOverdue } from './reviews.ts';
import { stepIn } from './step-in.ts';
import { lockClaim } from './store.ts';
import { CLAIM_TIMERS } from './timer-kinds.ts';

/**
 * What happens when a claim's deadline passes. Each handler locks the claim and re-checks
 * that it is still waiting: a person's action that committed first wins, and the timer
 * records that it found nothing to do. A claim in litigation (a matter) is left alone: its
 * deadlines stop and a person handles it.
 */
export function registerClaimTimers(registry: TimerRegistry): void {
  registry.set(CLAIM_TIMERS.sellerResponseDue, async (tx, timer, ctx) => {
    const claim = await lockClaim(tx, timer.subject_id);
    if (claim && automationHalted(claim)) return 'matter';
    if (claim?.status !== 'awaiting_seller') return 'stale';
    // A claim sent back to the seller (its insurer declined) has a later deadline of its own.
    if (claim.seller_deadline && claim.seller_deadline > ctx.clock.now()) return 'stale';
    await stepIn(tx, ctx, claim, 'seller_silent');
    return 'stepped_in';
  });

  registry.set(CLAIM_TIMERS.informationDue, async (tx, timer, ctx) => {
    const claim = await lockClaim(tx, timer.subject_id);
    if (claim && automationHalted(claim)) return 'matter';
    if (claim?.status !== 'needs_info' || !claim.info_deadline) return 'stale';
    if (claim.info_deadline > ctx.clock.now()) return 'stale';
    const rules = await loadClaimPolicy(tx, claim);
    await denyClaim(tx, ctx, claim, {
      code: 'information_not_provided',
      actor: systemPrincipal('information-deadline'),
      rules,
    });
    return 'denied';
  });

  registry.set(CLAIM_TIMERS.reviewDue, async (tx, _timer, ctx) => {
    const claim = await lockClaim(tx, _timer.subject_id);
    if (!claim || !isReviewOverdue(claim, ctx.clock.now())) return 'stale';
    await escalateReview(tx, ctx, claim);
    return 'escalated';
  });

  registry.set(CLAIM_TIMERS.appealWindowEnds, async (tx, timer, ctx) => {
    const claim = await lockClaim(tx, timer.subject_id);
    if (claim && automationHalted(claim)) return 'matter';
    if (claim?.status !== 'denied' || claim.appealed_at) return 'stale';
    await moveClaim(tx, ctx.clock, claim, 'closed', {
      type: 'claim.closed',
      actor: systemPrincipal('appeal-window'),
      reason: 'appeal_window_passed',
    });
    return 'closed';
  });
}
