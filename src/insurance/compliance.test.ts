import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../marketplace/policy.ts';
import {
  compliantCoverOn,
  coverOn,
  insuranceStatus,
  type PolicyOnFile,
  ratingMeets,
  shortfalls,
} from './compliance.ts';

const rules = DEFAULT_POLICY.insurance;
const policy = (overrides: Partial<PolicyOnFile> = {}): PolicyOnFile => ({
  id: 'ipol_1',
  status: 'verified',
  insurerRating: 'A',
  perOccurrence: 100_000_000,
  aggregate: 100_000_000,
  deductible: 1_000_000,
  currency: 'USD',
  additionalInsured: true,
  effectiveFrom: new Date('2026-01-01T00:00:00Z'),
  expiresAt: new Date('2027-01-01T00:00:00Z'),
  ...overrides,
});

describe('cover on a date', () => {
  it('counts verified cover from its first moment up to, not including, its expiry', () => {
    const p = policy();
    expect(coverOn([p], new Date('2026-01-01T00:00:00Z'))).toBe(p);
    expect(coverOn([p], new Date('2026-12-31T23:59:59Z'))).toBe(p);
    expect(coverOn([p], new Date('2027-01-01T00:00:00Z'))).toBeNull();
    expect(coverOn([p], new Date('2025-12-31T23:59:59Z'))).toBeNull();
  });

  it('keeps counting a policy that has since expired for incidents inside its term, never an unverified one', () => {
    const at = new Date('2026-06-01T00:00:00Z');
    expect(coverOn([policy({ status: 'expired' })], at)).not.toBeNull();
    expect(coverOn([policy({ status: 'pending_verification' })], at)).toBeNull();
    expect(coverOn([policy({ status: 'rejected' })], at)).toBeNull();
  });

  it('prefers the policy with the higher limit when two overlap', () => {
    const umbrella = policy({ id: 'ipol_umbrella', perOccurrence: 500_000_000 });
    expect(coverOn([policy(), umbrella], new Date('2026-06-01T00:00:00Z'))?.id).toBe('ipol_umbrella');
  });
});

describe("the marketplace's minimum", () => {
  it('is met exactly at the limits (USD 1M per occurrence and aggregate, deductible at most USD 10,000, A- or better)', () => {
    expect(shortfalls(policy({ insurerRating: 'A-' }), rules, 'USD')).toEqual([]);
  });

  it('names every way a policy falls short', () => {
    const weak = policy({
      perOccurrence: 99_999_999,
      aggregate: 50_000_000,
      deductible: 1_000_001,
      insurerRating: 'B++',
      additionalInsured: false,
    });
    expect(shortfalls(weak, rules, 'USD').map((s) => s.rule)).toEqual([
      'per_occurrence_limit',
      'aggregate_limit',
      'deductible',
      'insurer_rating',
      'additional_insured',
    ]);
  });

  it('refuses cover in another currency and an unrated insurer', () => {
    expect(shortfalls(policy({ currency: 'CAD' }), rules, 'USD').map((s) => s.rule)).toEqual(['currency']);
    expect(ratingMeets(null, 'A-')).toBe(false);
    expect(ratingMeets('A++', 'A-')).toBe(true);
    expect(ratingMeets('excellent', 'A-')).toBe(false);
  });

  it('finds compliant cover only among policies in force that meet it', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    expect(compliantCoverOn([policy({ perOccurrence: 1 })], now, rules, 'USD')).toBeNull();
    expect(
      compliantCoverOn([policy({ perOccurrence: 1 }), policy({ id: 'ok' })], now, rules, 'USD')?.id,
    ).toBe('ok');
  });
});

describe('the insurance flag', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  it('is compliant with cover whether or not it is required', () => {
    expect(insuranceStatus({ required: false, graceUntil: null, now, hasCompliantCover: true })).toBe(
      'compliant',
    );
    expect(insuranceStatus({ required: true, graceUntil: null, now, hasCompliantCover: true })).toBe(
      'compliant',
    );
  });

  it('is in grace until the grace period ends, then not compliant', () => {
    const graceUntil = new Date('2026-06-02T00:00:00Z');
    expect(insuranceStatus({ required: true, graceUntil, now, hasCompliantCover: false })).toBe('grace');
    expect(insuranceStatus({ required: true, graceUntil, now: graceUntil, hasCompliantCover: false })).toBe(
      'not_compliant',
    );
  });

  it('is not required below the threshold', () => {
    expect(insuranceStatus({ required: false, graceUntil: null, now, hasCompliantCover: false })).toBe(
      'not_required',
    );
  });
});
