/**
 * Every deadline on screen reads the same way, in the marketplace's zone (the zone the policy's
 * business days are counted in): "by Wed 2 Dec, 23:59 New York time (in 2 business days)", hours
 * only when under a day. Deadlines shown without a zone are what claimants and sellers complain
 * about (docs/web-app.md). Intl does the zone arithmetic; no date library is needed for this.
 */

const DAY_MS = 86_400_000;

/** "America/New_York" → "New York time"; "UTC" → "UTC time". */
export function zoneName(timeZone: string): string {
  return `${(timeZone.split('/').at(-1) ?? timeZone).replace(/_/g, ' ')} time`;
}

/** The calendar date (yyyy-mm-dd) and weekday of a moment, as seen in a zone. */
function zonedDay(at: Date, timeZone: string): { date: string; weekday: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${part('year')}-${part('month')}-${part('day')}`, weekday: part('weekday') };
}

/**
 * Weekdays from the day after `now` up to and including the deadline's day, both in the zone.
 * Weekends are skipped; the region's public holidays are not known to the web app, so a deadline
 * across a holiday reads one business day longer than the server counts it.
 */
export function businessDaysUntil(now: Date, at: Date, timeZone: string): number {
  const from = Date.parse(`${zonedDay(now, timeZone).date}T12:00:00Z`);
  const to = Date.parse(`${zonedDay(at, timeZone).date}T12:00:00Z`);
  let days = 0;
  for (let day = from + DAY_MS; day <= to; day += DAY_MS) {
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days += 1;
  }
  return days;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** How far away it is: hours under a day, business days otherwise; past ones say so. */
function distance(now: Date, at: Date, timeZone: string): string {
  const ms = at.getTime() - now.getTime();
  if (ms < 0) {
    const hoursAgo = Math.floor(-ms / 3_600_000);
    return hoursAgo < 24
      ? `passed ${plural(hoursAgo, 'hour')} ago`
      : `passed ${plural(Math.floor(hoursAgo / 24), 'day')} ago`;
  }
  if (ms < DAY_MS) {
    const hours = Math.floor(ms / 3_600_000);
    return hours === 0 ? `in ${plural(Math.ceil(ms / 60_000), 'minute')}` : `in ${plural(hours, 'hour')}`;
  }
  const days = businessDaysUntil(now, at, timeZone);
  return days === 0 ? 'after the weekend' : `in ${plural(days, 'business day')}`;
}

export interface DeadlineText {
  /** "by Wed 2 Dec, 23:59 New York time (in 2 business days)" */
  text: string;
  /** The same moment in the viewer's own zone, for a hover title. */
  viewerTime: string;
}

/**
 * A deadline at local midnight is the end of the day before: shown as that day's 23:59 (a minute
 * early, never late) so "by Wed 23:59" reads as the last day to act, not a Thursday.
 */
function lastMinute(at: Date, timeZone: string): Date {
  const clock = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return clock.format(at) === '00:00' ? new Date(at.getTime() - 60_000) : at;
}

export function formatDeadline(
  deadline: { at: string; timeZone: string },
  now: Date,
  viewerLocale?: string,
): DeadlineText {
  const exact = new Date(deadline.at);
  const at = lastMinute(exact, deadline.timeZone);
  const when = new Intl.DateTimeFormat('en-GB', {
    timeZone: deadline.timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at); // "Wed 2 Dec, 23:59"
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
    text: `by ${when} ${zoneName(deadline.timeZone)} (${distance(now, at, deadline.timeZone)})`,
    viewerTime: `Your time: ${viewerTime}`,
  };
}
