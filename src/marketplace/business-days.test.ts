import { describe, expect, it } from 'vitest';
import { businessDeadline, calendarDeadline, isKnownHolidayCalendar } from './business-days.ts';

const newYork = { holidayCalendar: 'US', timeZone: 'America/New_York' };

describe('businessDeadline', () => {
  it('counts two business days from a Monday to the end of Wednesday, local time', () => {
    // Monday 2026-11-16 10:00 New York
    const deadline = businessDeadline(new Date('2026-11-16T15:00:00Z'), 2, newYork);
    expect(deadline.toISOString()).toBe('2026-11-19T05:00:00.000Z'); // Thursday 00:00 EST
  });

  it('skips the weekend', () => {
    // Friday 2026-11-20 → Monday, Tuesday
    const deadline = businessDeadline(new Date('2026-11-20T15:00:00Z'), 2, newYork);
    expect(deadline.toISOString()).toBe('2026-11-25T05:00:00.000Z');
  });

  it('skips a public holiday (Thanksgiving, Thursday 2026-11-26)', () => {
    // Wednesday 2026-11-25 → Friday 27, Monday 30
    const deadline = businessDeadline(new Date('2026-11-25T15:00:00Z'), 2, newYork);
    expect(deadline.toISOString()).toBe('2026-12-01T05:00:00.000Z');
  });

  it('uses the day of the marketplace zone, not of UTC', () => {
    // 2026-11-17 03:00 UTC is still Monday 16th 22:00 in New York
    const deadline = businessDeadline(new Date('2026-11-17T03:00:00Z'), 1, newYork);
    expect(deadline.toISOString()).toBe('2026-11-18T05:00:00.000Z');
  });

  it('follows another region’s calendar (UK: Christmas and Boxing Day)', () => {
    const london = { holidayCalendar: 'GB-ENG', timeZone: 'Europe/London' };
    // Thursday 2026-12-24 → Fri 25 and Mon 28 (Boxing Day substitute) are holidays → Tue 29, Wed 30
    const deadline = businessDeadline(new Date('2026-12-24T10:00:00Z'), 2, london);
    expect(deadline.toISOString()).toBe('2026-12-31T00:00:00.000Z');
  });
});

describe('calendarDeadline', () => {
  it('ends at local midnight after the last day', () => {
    expect(calendarDeadline(new Date('2026-11-16T15:00:00Z'), 14, newYork).toISOString()).toBe(
      '2026-12-01T05:00:00.000Z',
    );
  });
});

describe('isKnownHolidayCalendar', () => {
  it('knows countries and states, and refuses made-up ones', () => {
    expect(isKnownHolidayCalendar('US')).toBe(true);
    expect(isKnownHolidayCalendar('US-NY')).toBe(true);
    expect(isKnownHolidayCalendar('XX')).toBe(false);
    expect(isKnownHolidayCalendar('US-ZZ')).toBe(false);
  });
});
