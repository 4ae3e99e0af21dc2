import { describe, expect, it } from 'vitest';
import { contestWindow } from './contest-rules.ts';

const newYork = { holidayCalendar: 'US', timeZone: 'America/New_York' };
const paid = new Date('2026-11-17T15:00:00Z');
const facts = { payer: 'marketplace', paidAt: paid, chargedAt: [], contested: false };

describe('contestWindow', () => {
  it('runs 30 calendar days from the payment, to local midnight in the marketplace zone', () => {
    const open = contestWindow(facts, new Date('2026-12-17T04:00:00Z'), 30, newYork);
    // 17 November + 30 days ends at the start of 18 December in New York (05:00 UTC).
    expect(open).toEqual({ allowed: true, closesAt: new Date('2026-12-18T05:00:00Z') });
    expect(contestWindow(facts, new Date('2026-12-18T05:00:00Z'), 30, newYork)).toEqual({
      refused: 'window_closed',
      closedAt: new Date('2026-12-18T05:00:00Z'),
    });
  });

  it('restarts at the latest charge to the seller', () => {
    const charged = new Date('2026-11-25T15:00:00Z');
    expect(
      contestWindow({ ...facts, chargedAt: [charged] }, new Date('2026-12-20T00:00:00Z'), 30, newYork),
    ).toEqual({
      allowed: true,
      closesAt: new Date('2026-12-26T05:00:00Z'),
    });
  });

  it('refuses a claim the seller or its insurer paid, one not yet paid, and a second contest', () => {
    const now = new Date('2026-11-20T00:00:00Z');
    expect(contestWindow({ ...facts, payer: 'seller' }, now, 30, newYork)).toEqual({
      refused: 'not_resolved_by_marketplace',
    });
    expect(contestWindow({ ...facts, paidAt: null }, now, 30, newYork)).toEqual({
      refused: 'not_resolved_by_marketplace',
    });
    expect(contestWindow({ ...facts, contested: true }, now, 30, newYork)).toEqual({
      refused: 'already_contested',
    });
  });
});
