/**
 * Every deadline on screen reads the same way: "due Wed 2 Dec, 11:59 PM — 43 h left", in the
 * marketplace's zone (the zone the policy's business days are counted in), the zone's name as
 * secondary text ("New York time") and the same moment in the viewer's own zone on hover. Hours
 * up to two days, whole days beyond ("31 days left", never "733 hours left"). Deadlines shown as an
 * ISO dump or without a zone are what claimants and sellers complained about (issue 19).
 * Intl does the zone arithmetic; no date library is needed for this.
 *
 * Pages use `formatDeadline` directly or the `<Deadline>` component in components/ui.tsx.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Up to this far away a deadline counts in hours; beyond it, in days. */
const HOURS_UP_TO_MS = 48 * HOUR_MS;

/** "America/New_York" → "New York time"; "UTC" → "UTC time". */
export function zoneName(timeZone: string): string {
  return `${(timeZone.split('/').at(-1) ?? timeZone).replace(/_/g, ' ')} time`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** How long is left, or how long ago it passed: minutes under an hour, hours up to two days, then days. */
export function timeLeft(ms: number): string {
  const span = Math.abs(ms);
  const amount =
    span < HOUR_MS
      ? `${Math.max(1, Math.floor(span / MINUTE_MS))} min`
      : span < HOURS_UP_TO_MS
        ? `${Math.floor(span / HOUR_MS)} h`
        : plural(Math.floor(span / DAY_MS), 'day');
  return ms < 0 ? `${amount} overdue` : `${amount} left`;
}

/**
 * A deadline at local midnight is the end of the day before: shown as that day's 11:59 PM (a
 * minute early, never late) so "due Wed, 11:59 PM" reads as the last day to act, not a Thursday.
 */
function lastMinute(at: Date, timeZone: string): Date {
  const clock = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return clock.format(at) === '00:00' ? new Date(at.getTime() - MINUTE_MS) : at;
}

/** "Wed 2 Dec, 11:59 PM" as seen in the zone. */
function wallClock(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const time = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' }).format(at);
  return `${part('weekday')} ${part('day')} ${part('month')}, ${time}`;
}

export interface DeadlineText {
  /** "due Wed 2 Dec, 11:59 PM — 43 h left" */
  text: string;
  /** The zone the time is given in, as secondary text: "New York time". */
  zone: string;
  /** The same moment in the viewer's own zone, for a hover title. */
  viewerTime: string;
  /** The deadline has passed. */
  overdue: boolean;
}

export function formatDeadline(
  deadline: { at: string; timeZone: string },
  now: Date,
  viewerLocale?: string,
): DeadlineText {
  const exact = new Date(deadline.at);
  const at = lastMinute(exact, deadline.timeZone);
  const ms = at.getTime() - now.getTime();
  const viewerTime = new Intl.DateTimeFormat(viewerLocale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(exact);
  return {
    text: `due ${wallClock(at, deadline.timeZone)} — ${timeLeft(ms)}`,
    zone: zoneName(deadline.timeZone),
    viewerTime: `Your time: ${viewerTime}`,
    overdue: ms < 0,
  };
}
