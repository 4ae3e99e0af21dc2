/**
 * A deadline as an agent reads it at a glance: "due Wed 2 Dec, 23:59 · 61 h left", the
 * marketplace's zone and the viewer's own time only on hover. Hours under three days, business
 * days past that (web/src/format/deadline.ts counts them); a passed deadline says by how much.
 */
import { businessDaysUntil, formatDeadline, zoneName } from '../../format/deadline.ts';

const HOUR = 3_600_000;

export interface DueText {
  /** "due Wed 2 Dec, 23:59" */
  when: string;
  /** "61 h left", "5 business days left", "overdue by 3 h" */
  left: string;
  overdue: boolean;
  /** "New York time. Your time: Wednesday, 2 December 2026 at 06:00 CET" */
  hover: string;
}

export function dueText(deadline: { at: string; timeZone: string }, now: Date): DueText {
  const exact = new Date(deadline.at);
  // The same last-minute rule as everywhere: midnight is shown as the day before's 23:59.
  const { text, viewerTime } = formatDeadline(deadline, now);
  const when = text
    .replace(/^by /, '')
    .replace(` ${zoneName(deadline.timeZone)}`, '')
    .replace(/ \(.*\)$/, '');
  const ms = exact.getTime() - now.getTime();
  const hours = Math.floor(Math.abs(ms) / HOUR);
  let left: string;
  if (ms < 0) left = hours < 48 ? `overdue by ${hours} h` : `overdue by ${Math.floor(hours / 24)} days`;
  else if (hours < 72) left = hours === 0 ? 'under an hour left' : `${hours} h left`;
  else {
    // Counted to the day shown (midnight reads as the day before's 23:59).
    const days = businessDaysUntil(now, new Date(exact.getTime() - 60_000), deadline.timeZone);
    left = `${days} business day${days === 1 ? '' : 's'} left`;
  }
  return {
    when: `due ${when}`,
    left,
    overdue: ms < 0,
    hover: `${zoneName(deadline.timeZone)}. ${viewerTime}`,
  };
}
