import { describe, expect, it } from 'vitest';
import { appetiteExclusions, type QuoteAsk, ratePremium, ZAppetite } from './appetite.ts';

const appetite = ZAppetite.parse({
  currency: 'USD',
  categories: { excluded: ['e_cigarettes'] },
  annualSales: { min: 5_000_000, max: 500_000_000 },
  limits: { minPerOccurrence: 100_000_000, maxPerOccurrence: 300_000_000, maxAggregate: 600_000_000 },
  deductible: 250_000,
  maxClaimsInHistory: 5,
  rating: {
    baseRatePer1000: { kitchen_appliances: 2.4, heating: 4 },
    claimsHistory: [
      { upToClaims: 0, factor: 0.9 },
      { upToClaims: 2, factor: 1 },
      { upToClaims: 5, factor: 1.5 },
    ],
    compliance: { compliant: 0.95, not_compliant: 1.2 },
    increasedLimits: [
      { upToPerOccurrence: 100_000_000, factor: 1 },
      { upToPerOccurrence: 200_000_000, factor: 1.3 },
    ],
    minimumPremium: 50_000,
  },
});

const ask = (overrides: Partial<QuoteAsk> = {}): QuoteAsk => ({
  currency: 'USD',
  sales: [
    { category: 'kitchen_appliances', annualSales: 40_000_000 },
    { category: 'heating', annualSales: 10_000_000 },
  ],
  perOccurrence: 100_000_000,
  aggregate: 200_000_000,
  claimsInHistory: 1,
  compliance: 'not_required',
  ...overrides,
});

describe('the rating table', () => {
  it('prices base rate × sales per category, times the factors', () => {
    // 400,000.00 × 2.4‰ = 960.00 and 100,000.00 × 4‰ = 400.00: USD 1,360.00, claims factor 1.
    const rated = ratePremium(appetite, ask());
    expect(rated.base.map((b) => b.amount)).toEqual([96_000, 40_000]);
    expect(rated).toMatchObject({ claimsFactor: 1, complianceFactor: 1, limitFactor: 1, premium: 136_000 });
  });

  it('rewards a clean record and compliance, and charges for higher limits', () => {
    // 136,000 × 0.9 × 0.95 × 1.3 = 151,164
    const rated = ratePremium(
      appetite,
      ask({ claimsInHistory: 0, compliance: 'compliant', perOccurrence: 150_000_000 }),
    );
    expect(rated.premium).toBe(151_164);
  });

  it('uses the last band beyond the table and never goes below the minimum premium', () => {
    expect(ratePremium(appetite, ask({ claimsInHistory: 9 })).claimsFactor).toBe(1.5);
    const small = ratePremium(appetite, ask({ sales: [{ category: 'heating', annualSales: 6_000_000 }] }));
    expect(small).toMatchObject({ computed: 24_000, premium: 50_000 });
  });
});

describe('the appetite', () => {
  it('accepts an ask that fits', () => {
    expect(appetiteExclusions(appetite, ask())).toEqual([]);
  });

  it('names each rule an ask breaks', () => {
    const rules = appetiteExclusions(
      appetite,
      ask({
        sales: [
          { category: 'e_cigarettes', annualSales: 600_000_000 },
          { category: 'toys', annualSales: 1_000 },
        ],
        perOccurrence: 400_000_000,
        aggregate: 700_000_000,
        claimsInHistory: 6,
      }),
    );
    expect(rules.map((r) => r.rule)).toEqual([
      'category_excluded',
      'category_not_rated',
      'sales_above_maximum',
      'limit_above_maximum',
      'aggregate_above_maximum',
      'claims_history',
    ]);
  });

  it('quotes only in its own currency and may refuse sellers flagged not compliant', () => {
    expect(appetiteExclusions(appetite, ask({ currency: 'CAD' })).map((r) => r.rule)).toEqual(['currency']);
    const strict = { ...appetite, acceptsNotCompliant: false };
    expect(appetiteExclusions(strict, ask({ compliance: 'not_compliant' })).map((r) => r.rule)).toEqual([
      'not_compliant',
    ]);
  });
});
