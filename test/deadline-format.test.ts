import { describe, expect, it } from 'vitest';
import { businessDaysUntil, formatDeadline, zoneName } from '../web/src/format/deadline.ts';

/** The one deadline wording of the web app (web/src/format/deadline.ts). */
const NY = 'America/New_York';
const monday10am = new Date('2026-11-30T15:00:00Z'); // Mon 30 Nov, 10:00 in New York

describe('formatDeadline', () => {
  it('reads a deadline two business days away in the marketplace’s zone', () => {
    const { text } = formatDeadline({ at: '2026-12-03T04:59:00Z', timeZone: NY }, monday10am);
    expect(text).toBe('by Wed 2 Dec, 23:59 New York time (in 2 business days)');
  });

  it('shows a deadline at local midnight as the day before’s 23:59', () => {
    const { text } = formatDeadline({ at: '2026-12-03T05:00:00Z', timeZone: NY }, monday10am);
    expect(text).toBe('by Wed 2 Dec, 23:59 New York time (in 2 business days)');
  });

  it('counts hours only when under a day', () => {
    const { text } = formatDeadline({ at: '2026-11-30T20:30:00Z', timeZone: NY }, monday10am);
    expect(text).toBe('by Mon 30 Nov, 15:30 New York time (in 5 hours)');
  });

  it('skips the weekend when counting business days', () => {
    const friday = new Date('2026-12-04T15:00:00Z');
    expect(businessDaysUntil(friday, new Date('2026-12-08T15:00:00Z'), NY)).toBe(2); // Mon, Tue
  });

  it('says when a deadline has passed', () => {
    const { text } = formatDeadline({ at: '2026-11-30T12:00:00Z', timeZone: NY }, monday10am);
    expect(text).toBe('by Mon 30 Nov, 07:00 New York time (passed 3 hours ago)');
  });

  it('gives the viewer’s own time for the hover title', () => {
    const { viewerTime } = formatDeadline({ at: '2026-12-03T04:59:00Z', timeZone: NY }, monday10am, 'en-US');
    expect(viewerTime).toMatch(/^Your time: .*2026/);
  });

  it('names the zone by its city', () => {
    expect(zoneName('Europe/Isle_of_Man')).toBe('Isle of Man time');
  });
});
