import { z } from 'zod';

/**
 * Every rule a marketplace could set differently. Defaults follow the US programme this
 * design is modelled on (see docs/policy.md for the source of each); other regions are data.
 * Amounts are minor units of the marketplace's currency.
 */
export const ZPolicy = z.object({
  smallClaimLimit: z
    .number()
    .int()
    .nonnegative()
    .default(100_000)
    .describe('At or under this amount a valid claim is paid by the marketplace at once (USD 1,000.00)'),
  maxClaimAmount: z
    .number()
    .int()
    .positive()
    .default(100_000_000)
    .describe('The largest amount a claim may ask for (USD 1,000,000.00)'),
  sellerResponseBusinessDays: z
    .number()
    .int()
    .min(1)
    .max(60)
    .default(2)
    .describe("Business days (on the region's holiday calendar) the seller has to answer"),
  claimantInformationDays: z
    .number()
    .int()
    .min(1)
    .max(90)
    .default(14)
    .describe('Calendar days the claimant has to answer a request for information'),
  filingWindowDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(90)
    .describe('A claim must be filed within this many days of the incident'),
  appealWindowDays: z
    .number()
    .int()
    .min(1)
    .max(365)
    .default(30)
    .describe('Days a claimant has to appeal a denial'),
  paymentConfirmationBusinessDays: z
    .number()
    .int()
    .min(1)
    .max(60)
    .default(5)
    .describe(
      'Business days a seller or insurer that accepted has to confirm payment before the marketplace steps in',
    ),
  insurance: z
    .object({
      monthlySalesThreshold: z.number().int().nonnegative().default(1_000_000),
      minPerOccurrence: z.number().int().nonnegative().default(100_000_000),
      minAggregate: z.number().int().nonnegative().default(100_000_000),
      maxDeductible: z.number().int().nonnegative().default(1_000_000),
      proofOfInsuranceDays: z.number().int().min(1).default(7),
    })
    .prefault({}),
  fraud: z
    .object({
      reviewThreshold: z
        .number()
        .min(0)
        .max(1)
        .default(0.4)
        .describe('At or above: an agent reviews the claim'),
      expertThreshold: z
        .number()
        .min(0)
        .max(1)
        .default(0.7)
        .describe('At or above: an independent expert reviews it'),
      bias: z.number().default(-3).describe('Intercept of the logistic risk score'),
      weights: z
        .record(z.string(), z.number())
        .default({})
        .describe('Weight per signal code; missing codes use the built-in defaults (docs/screening.md)'),
      expertResponseBusinessDays: z
        .number()
        .int()
        .min(1)
        .max(30)
        .default(5)
        .describe('Business days an expert has to return findings'),
    })
    .prefault({})
    .refine((f) => f.reviewThreshold <= f.expertThreshold, {
      message: 'reviewThreshold must not exceed expertThreshold',
      path: ['reviewThreshold'],
    }),
});

export type Policy = z.infer<typeof ZPolicy>;

/** The US defaults, as a complete policy. */
export const DEFAULT_POLICY: Policy = ZPolicy.parse({});
