import { systemPrincipal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { scheduleTimer } from '../platform/timers.ts';
import { loadClaimPolicy } from './claim-policy.ts';
import { recordClaimEvent } from './history.ts';
import { reviewDueAt } from './reviews.ts';
import type { ClaimRow } from './store.ts';
import { CLAIM_TIMERS } from './timer-kinds.ts';

/**
 * A review passed its due time (called by the timer on a locked, still-overdue claim). Staff see
 * it escalated (it rises to the top of the overdue queue and its owner is named in the event);
 * the claimant, and the seller in a dispute, are told the new date by which to expect an answer.
 * The new due time is counted again from now, so nothing waits without a deadline.
 */
export async function escalateReview(tx: Tx, ctx: AppContext, claim: ClaimRow): Promise<ClaimRow> {
  const now = ctx.clock.now();
  const { policy, calendar } = await loadClaimPolicy(tx, claim);
  const dueAt = reviewDueAt(now, policy, calendar);
  await scheduleTimer(tx, { kind: CLAIM_TIMERS.reviewDue, subjectId: claim.id, dueAt, now });
  return recordClaimEvent(
    tx,
    ctx.clock,
    claim,
    {
      type: 'claim.review_escalated',
      actor: systemPrincipal('review-deadline'),
      reason: 'review_overdue',
      data: {
        reviewKind: claim.review_kind,
        previousDueAt: claim.review_due_at?.toISOString() ?? null,
        reviewDueAt: dueAt.toISOString(),
        timeZone: calendar.timeZone,
        ownerId: claim.owner_id,
        escalations: claim.review_escalated_at ? 'again' : 'first',
      },
    },
    { review_due_at: dueAt, review_escalated_at: now },
  );
}
