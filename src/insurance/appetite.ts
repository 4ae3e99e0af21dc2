import { z } from 'zod';
import { INSURANCE_STATUSES, type InsuranceStatus } from './compliance.ts';

/**
 * What a network provider will insure and how it prices it, published as data. Amounts are
 * minor units of the marketplace's currency; rates are per 1,000 of annual sales.
 */
export const ZAppetite = z
  .object({
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code of three capital letters')
      .describe('The currency of every amount below; it quotes only sellers asking in it'),
    categories: z
      .object({
        accepted: z
          .array(z.string().min(1).max(100))
          .max(200)
          .nullable()
          .default(null)
          .describe('Only these product categories; null accepts any category not excluded'),
        excluded: z.array(z.string().min(1).max(100)).max(200).default([]),
      })
      .prefault({}),
    annualSales: z
      .object({
        min: z.number().int().nonnegative().default(0),
        max: z.number().int().positive().nullable().default(null),
      })
      .prefault({}),
    limits: z.object({
      minPerOccurrence: z.number().int().positive(),
      maxPerOccurrence: z.number().int().positive(),
      maxAggregate: z.number().int().positive(),
    }),
    deductible: z.number().int().nonnegative().describe('The deductible every quote carries'),
    maxClaimsInHistory: z
      .number()
      .int()
      .nonnegative()
      .nullable()
      .default(null)
      .describe('More claims than this in the seller’s history (3 years) and the provider declines'),
    acceptsNotCompliant: z
      .boolean()
      .default(true)
      .describe('Whether it quotes sellers currently flagged not compliant'),
    quoteBy: z
      .enum(['rating_table', 'api'])
      .default('rating_table')
      .describe('rating_table: the platform computes the quote at once; api: the provider answers by API'),
    quoteValidDays: z.number().int().min(1).max(180).default(30),
    policyExclusions: z
      .array(z.string().min(1).max(300))
      .max(50)
      .default([])
      .describe('What its policies do not cover, shown with every quote'),
    rating: z.object({
      baseRatePer1000: z
        .record(z.string(), z.number().positive())
        .describe('Premium per 1,000 of annual sales, by product category'),
      defaultBaseRatePer1000: z
        .number()
        .positive()
        .nullable()
        .default(null)
        .describe('For accepted categories without a rate of their own; null declines them'),
      claimsHistory: z
        .array(z.object({ upToClaims: z.number().int().nonnegative(), factor: z.number().positive() }))
        .max(20)
        .default([])
        .describe(
          'Factor by claims in the seller’s history: the first band whose upToClaims is not below the count; beyond the last band, the last factor',
        ),
      compliance: z
        .partialRecord(z.enum(INSURANCE_STATUSES), z.number().positive())
        .default({})
        .describe('Factor by the seller’s insurance standing on the marketplace (missing: 1)'),
      increasedLimits: z
        .array(z.object({ upToPerOccurrence: z.number().int().positive(), factor: z.number().positive() }))
        .max(20)
        .default([])
        .describe(
          'Factor by the per-occurrence limit asked for: the first band that reaches it (missing: 1)',
        ),
      minimumPremium: z.number().int().nonnegative().default(0),
    }),
  })
  .refine((a) => a.limits.minPerOccurrence <= a.limits.maxPerOccurrence, {
    message: 'minPerOccurrence must not exceed maxPerOccurrence',
    path: ['limits', 'minPerOccurrence'],
  })
  .meta({
    id: 'InsurerAppetite',
    example: {
      currency: 'USD',
      categories: { accepted: null, excluded: ['firearms', 'e_cigarettes'] },
      annualSales: { min: 5_000_000, max: 2_000_000_000 },
      limits: { minPerOccurrence: 100_000_000, maxPerOccurrence: 500_000_000, maxAggregate: 1_000_000_000 },
      deductible: 250_000,
      maxClaimsInHistory: 10,
      rating: {
        baseRatePer1000: { kitchen_appliances: 2.4, heating: 4.1, toys: 3.2 },
        defaultBaseRatePer1000: 3,
        claimsHistory: [
          { upToClaims: 0, factor: 0.9 },
          { upToClaims: 3, factor: 1 },
          { upToClaims: 10, factor: 1.35 },
        ],
        compliance: { compliant: 0.95, not_compliant: 1.2 },
        increasedLimits: [
          { upToPerOccurrence: 100_000_000, factor: 1 },
          { upToPerOccurrence: 200_000_000, factor: 1.3 },
        ],
        minimumPremium: 75_000,
      },
    },
  });

export type Appetite = z.infer<typeof ZAppetite>;

/** What a seller asks cover for; the platform fills its claims history and standing. */
export interface QuoteAsk {
  currency: string;
  sales: { category: string; annualSales: number }[];
  perOccurrence: number;
  aggregate: number;
  claimsInHistory: number;
  compliance: InsuranceStatus;
}

export interface ExclusionReason {
  rule: string;
  detail: string;
}

const rateFor = (appetite: Appetite, category: string) =>
  appetite.rating.baseRatePer1000[category] ?? appetite.rating.defaultBaseRatePer1000;

/** Every appetite rule the ask breaks, so a seller that qualifies nowhere is told why. */
export function appetiteExclusions(appetite: Appetite, ask: QuoteAsk): ExclusionReason[] {
  const reasons: ExclusionReason[] = [];
  if (ask.currency !== appetite.currency) {
    return [{ rule: 'currency', detail: `quotes in ${appetite.currency} only` }];
  }
  const totalSales = ask.sales.reduce((sum, s) => sum + s.annualSales, 0);
  for (const { category } of ask.sales) {
    if (appetite.categories.excluded.includes(category)) {
      reasons.push({ rule: 'category_excluded', detail: `does not insure ${category}` });
    } else if (appetite.categories.accepted && !appetite.categories.accepted.includes(category)) {
      reasons.push({
        rule: 'category_not_accepted',
        detail: `insures only ${appetite.categories.accepted.join(', ')}`,
      });
    } else if (rateFor(appetite, category) === null) {
      reasons.push({ rule: 'category_not_rated', detail: `has no rate for ${category}` });
    }
  }
  if (totalSales < appetite.annualSales.min)
    reasons.push({
      rule: 'sales_below_minimum',
      detail: `needs annual sales of at least ${appetite.annualSales.min}`,
    });
  if (appetite.annualSales.max !== null && totalSales > appetite.annualSales.max)
    reasons.push({
      rule: 'sales_above_maximum',
      detail: `insures annual sales up to ${appetite.annualSales.max}`,
    });
  if (ask.perOccurrence < appetite.limits.minPerOccurrence)
    reasons.push({
      rule: 'limit_below_minimum',
      detail: `writes per-occurrence limits from ${appetite.limits.minPerOccurrence}`,
    });
  if (ask.perOccurrence > appetite.limits.maxPerOccurrence)
    reasons.push({
      rule: 'limit_above_maximum',
      detail: `writes per-occurrence limits up to ${appetite.limits.maxPerOccurrence}`,
    });
  if (ask.aggregate > appetite.limits.maxAggregate)
    reasons.push({
      rule: 'aggregate_above_maximum',
      detail: `writes aggregate limits up to ${appetite.limits.maxAggregate}`,
    });
  if (appetite.maxClaimsInHistory !== null && ask.claimsInHistory > appetite.maxClaimsInHistory)
    reasons.push({
      rule: 'claims_history',
      detail: `declines sellers with more than ${appetite.maxClaimsInHistory} claims in three years (${ask.claimsInHistory})`,
    });
  if (!appetite.acceptsNotCompliant && ask.compliance === 'not_compliant')
    reasons.push({ rule: 'not_compliant', detail: 'does not quote sellers flagged not compliant' });
  return reasons;
}

export interface PremiumBreakdown {
  base: { category: string; annualSales: number; ratePer1000: number; amount: number }[];
  claimsFactor: number;
  complianceFactor: number;
  limitFactor: number;
  computed: number;
  minimumPremium: number;
  premium: number;
}

function bandFactor<T>(bands: readonly T[], fits: (band: T) => boolean, factor: (band: T) => number) {
  if (bands.length === 0) return 1;
  const band = bands.find(fits) ?? bands.at(-1);
  return band ? factor(band) : 1;
}

/**
 * The premium from the provider's rating table: base rate × sales per category, times the
 * claims-history, compliance and increased-limit factors, never below the minimum premium.
 * Rounded once, at the end, to whole minor units.
 */
export function ratePremium(appetite: Appetite, ask: QuoteAsk): PremiumBreakdown {
  const base = ask.sales.map(({ category, annualSales }) => {
    const ratePer1000 = rateFor(appetite, category) ?? 0;
    return { category, annualSales, ratePer1000, amount: (annualSales * ratePer1000) / 1000 };
  });
  const { rating } = appetite;
  const claimsFactor = bandFactor(
    [...rating.claimsHistory].sort((a, b) => a.upToClaims - b.upToClaims),
    (b) => ask.claimsInHistory <= b.upToClaims,
    (b) => b.factor,
  );
  const complianceFactor = rating.compliance[ask.compliance] ?? 1;
  const limitFactor = bandFactor(
    [...rating.increasedLimits].sort((a, b) => a.upToPerOccurrence - b.upToPerOccurrence),
    (b) => ask.perOccurrence <= b.upToPerOccurrence,
    (b) => b.factor,
  );
  const subtotal = base.reduce((sum, b) => sum + b.amount, 0);
  const computed = Math.round(subtotal * claimsFactor * complianceFactor * limitFactor);
  return {
    base: base.map((b) => ({ ...b, amount: Math.round(b.amount) })),
    claimsFactor,
    complianceFactor,
    limitFactor,
    computed,
    minimumPremium: rating.minimumPremium,
    premium: Math.max(computed, rating.minimumPremium),
  };
}
