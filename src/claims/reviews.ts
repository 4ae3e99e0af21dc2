import { businessDeadline, type Calendar } from '../marketplace/business-days.ts';
import type { Policy } from '../marketplace/policy.ts';

/**
 * Every review an agent does (risk, dispute, appeal; a seller's contest later) ends by a due time
 * from the policy, counted in business days on the marketplace's calendar. One rule, so a new
 * kind of review gets a deadline by entering `under_review`, not by remembering to set one.
 */
export const REVIEW_STATUS = 'under_review';

/** When a review that starts (or is escalated) at `from` must end. */
export function reviewDueAt(
  from: Date,
  policy: Pick<Policy, 'reviewBusinessDays'>,
  calendar: Calendar,
): Date {
  return businessDeadline(from, policy.reviewBusinessDays, calendar);
}

/** Whether a claim's review has passed its due time: it belongs in the overdue queue. */
export function isReviewOverdue(claim: { status: string; review_due_at: Date | null }, now: Date): boolean {
  return claim.status === REVIEW_STATUS && claim.review_due_at !== null && claim.review_due_at <= now;
}
