import type { Calendar } from '../marketplace/business-days.ts';
import { calendarDeadline } from '../marketplace/business-days.ts';

/**
 * The notice every contest carries, to the seller and in its e-mail: the programme's terms say
 * a seller that appeals waives no rights or defences, and a seller hesitates to take part if
 * it might.
 */
export const NO_WAIVER_NOTICE =
  'Taking part in this contest waives none of your rights or defences, in this claim or in any proceedings about it.';

export type ContestRefusal =
  | { refused: 'not_resolved_by_marketplace' }
  | { refused: 'window_closed'; closedAt: Date }
  | { refused: 'already_contested' };

export interface ContestFacts {
  /** Who paid the claimant: only a marketplace payment (small claim or step-in) is contestable. */
  payer: string | null;
  /** When the marketplace's payment settled (the claim.paid event), if it has. */
  paidAt: Date | null;
  /** When each charge to the seller was taken: an offset or an invoice of its recovery. */
  chargedAt: readonly Date[];
  /** A contest on this claim already exists: its decision is final. */
  contested: boolean;
}

/**
 * Whether a contest filed `now` is in time, and until when it may be filed. The window runs
 * `contestDays` calendar days (to local midnight, in the marketplace's zone) from the latest
 * resolution the seller could disagree with: the marketplace's payment, or a later charge of
 * the recovery (a seller learns what it owes only when it is charged).
 */
export function contestWindow(
  facts: ContestFacts,
  now: Date,
  contestDays: number,
  calendar: Calendar,
): { allowed: true; closesAt: Date } | ContestRefusal {
  if (facts.contested) return { refused: 'already_contested' };
  if (facts.payer !== 'marketplace' || !facts.paidAt) return { refused: 'not_resolved_by_marketplace' };
  const latest = [facts.paidAt, ...facts.chargedAt].reduce((a, b) => (b > a ? b : a));
  const closesAt = calendarDeadline(latest, contestDays, calendar);
  if (now >= closesAt) return { refused: 'window_closed', closedAt: closesAt };
  return { allowed: true, closesAt };
}
