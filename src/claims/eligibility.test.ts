import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../marketplace/policy.ts';
import { checkEligibility, type EligibilityFacts } from './eligibility.ts';

const eligible: EligibilityFacts = {
  filedAt: new Date('2026-11-20T12:00:00Z'),
  incidentAt: new Date('2026-11-10T12:00:00Z'),
  amount: { value: 45_000, currency: 'USD' },
  claimantCustomerId: 'cus_1',
  marketplaceCurrency: 'USD',
  order: { customerId: 'cus_1' },
  line: { deliveredAt: new Date('2026-11-01T12:00:00Z'), sellerKind: 'third_party' },
  openClaimOnLine: false,
  policy: DEFAULT_POLICY,
};

describe('checkEligibility', () => {
  it('accepts a claim that meets every rule', () => {
    expect(checkEligibility(eligible)).toBeNull();
  });

  it.each([
    ['order_unknown', { order: null }],
    ['order_not_claimants', { order: { customerId: 'cus_2' } }],
    ['line_unknown', { line: null }],
    ['not_delivered', { line: { deliveredAt: null, sellerKind: 'third_party' } }],
    ['not_third_party_seller', { line: { deliveredAt: new Date('2026-11-01'), sellerKind: 'first_party' } }],
    ['incident_before_delivery', { incidentAt: new Date('2026-10-31T12:00:00Z') }],
    ['incident_in_future', { incidentAt: new Date('2026-11-21T12:00:00Z') }],
    ['amount_not_positive', { amount: { value: 0, currency: 'USD' } }],
    ['currency_mismatch', { amount: { value: 100, currency: 'EUR' } }],
    ['amount_above_maximum', { amount: { value: 100_000_001, currency: 'USD' } }],
    ['open_claim_on_line', { openClaimOnLine: true }],
  ] as const)('refuses with %s', (code, change) => {
    expect(checkEligibility({ ...eligible, ...change } as EligibilityFacts)).toBe(code);
  });

  it('counts the filing window in days after the incident, inclusive of the last moment', () => {
    const incidentAt = new Date('2026-08-22T12:00:00Z');
    const atEdge = {
      ...eligible,
      incidentAt,
      line: { deliveredAt: new Date('2026-08-01'), sellerKind: 'third_party' },
    };
    expect(checkEligibility({ ...atEdge, filedAt: new Date('2026-11-20T12:00:00Z') })).toBeNull();
    expect(checkEligibility({ ...atEdge, filedAt: new Date('2026-11-20T12:00:01Z') })).toBe(
      'outside_filing_window',
    );
  });
});
