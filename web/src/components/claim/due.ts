/**
 * A deadline as an agent reads it at a glance, in the app's one wording (web/src/format/deadline.ts):
 * "due Wed 2 Dec, 11:59 PM · 43 h left", the marketplace's zone and the viewer's own time on hover.
 */
import { formatDeadline } from '../../format/deadline.ts';

export interface DueText {
  /** "due Wed 2 Dec, 11:59 PM" */
  when: string;
  /** "43 h left", "5 days left", "3 h overdue" */
  left: string;
  overdue: boolean;
  /** "New York time. Your time: Wednesday, 2 December 2026 at 06:00 CET" */
  hover: string;
}

export function dueText(deadline: { at: string; timeZone: string }, now: Date): DueText {
  const shown = formatDeadline(deadline, now);
  const [when = shown.text, left = ''] = shown.text.split(' — ');
  return { when, left, overdue: shown.overdue, hover: `${shown.zone}. ${shown.viewerTime}` };
}
