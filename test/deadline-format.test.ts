import { describe, expect, it } from 'vitest';
import { formatDeadline, timeLeft, zoneName } from '../web/src/format/deadline.ts';

/** The one deadline wording of the web app (web/src/format/deadline.ts). */
const NY = 'America/New_York';
const monday10am = new Date('2026-11-30T15:00:00Z'); // Mon 30 Nov, 10:00 in New York

describe('formatDeadline', () => {
  it('reads a deadline in the marketplace’s zone with the hours left, the zone apart', () => {
    const shown = formatDeadline({ at: '2026-12-02T10:00:00Z', timeZone: NY }, monday10am);
    expect(shown.text).toBe('due Wed 2 Dec, 5:00 AM — 43 h left');
    expect(shown.zone).toBe('New York time');
    expect(shown.text).not.toMatch(/America|\d{4}-\d\d/);
  });

  it('shows a deadline at local midnight as the day before’s 11:59 PM', () => {
    const { text } = formatDeadline({ at: '2026-12-03T05:00:00Z', timeZone: NY }, monday10am);
    expect(text).toBe('due Wed 2 Dec, 11:59 PM — 2 days left');
  });

  it('counts days beyond two days, never hundreds of hours', () => {
    const { text } = formatDeadline({ at: '2026-12-31T15:00:00Z', timeZone: NY }, monday10am);
    expect(text).toBe('due Thu 31 Dec, 10:00 AM — 31 days left');
  });

  it('says how long ago a deadline passed', () => {
    const shown = formatDeadline({ at: '2026-11-30T12:00:00Z', timeZone: NY }, monday10am);
    expect(shown.text).toBe('due Mon 30 Nov, 7:00 AM — 3 h overdue');
    expect(shown.overdue).toBe(true);
  });

  it('gives the viewer’s own time for the hover title', () => {
    const { viewerTime } = formatDeadline({ at: '2026-12-03T04:59:00Z', timeZone: NY }, monday10am, 'en-US');
    expect(viewerTime).toMatch(/^Your time: .*2026/);
  });

  it('names the zone by its city', () => {
    expect(zoneName('Europe/Isle_of_Man')).toBe('Isle of Man time');
  });
});

describe('timeLeft', () => {
  it('uses minutes under an hour, hours up to two days, days beyond', () => {
    expect(timeLeft(25 * 60_000)).toBe('25 min left');
    expect(timeLeft(47 * 3_600_000 + 59 * 60_000)).toBe('47 h left');
    expect(timeLeft(48 * 3_600_000)).toBe('2 days left');
    expect(timeLeft(86_400_000 * 30.5)).toBe('30 days left');
    expect(timeLeft(-3 * 86_400_000)).toBe('3 days overdue');
  });
});
