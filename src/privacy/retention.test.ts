import { describe, expect, it } from 'vitest';
import { type ClaimForRetention, erasureBlockers } from './retention.ts';

const now = new Date('2027-03-01T12:00:00Z');
const claim = (over: Partial<ClaimForRetention>): ClaimForRetention => ({
  id: 'clm_1',
  status: 'closed',
  lastActivityAt: new Date('2027-01-01T00:00:00Z'),
  payoutStatus: 'settled',
  recoveryStatus: 'waived',
  ...over,
});

describe('erasure retention rules', () => {
  it('lets a customer whose claims are all finished and past the hold be erased', () => {
    expect(
      erasureBlockers([claim({}), claim({ id: 'clm_2', status: 'withdrawn' })], now, { erasureHoldDays: 30 }),
    ).toEqual([]);
  });

  it('holds the data of a claim still being worked', () => {
    expect(erasureBlockers([claim({ status: 'awaiting_seller' })], now, { erasureHoldDays: 30 })).toEqual([
      expect.objectContaining({ rule: 'claim_open', claimId: 'clm_1' }),
    ]);
  });

  it('holds the data while a payout is unsettled or a recovery is open', () => {
    const rules = erasureBlockers(
      [claim({ status: 'paid', payoutStatus: 'executing', recoveryStatus: 'invoiced' })],
      now,
      { erasureHoldDays: 30 },
    ).map((b) => b.rule);
    expect(rules).toEqual(['payout_unsettled', 'recovery_open']);
  });

  it('holds the data for the policy hold after the last activity, and says until when', () => {
    const recent = claim({ lastActivityAt: new Date('2027-02-20T12:00:00Z') });
    expect(erasureBlockers([recent], now, { erasureHoldDays: 30 })).toEqual([
      expect.objectContaining({ rule: 'hold_period', until: '2027-03-22T12:00:00.000Z' }),
    ]);
    expect(erasureBlockers([recent], now, { erasureHoldDays: 7 })).toEqual([]);
  });
});
