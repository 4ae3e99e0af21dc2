import { z } from 'zod';

/** Financial-strength ratings, best first (the scale US carriers are rated on). */
export const FINANCIAL_RATINGS = [
  'A++',
  'A+',
  'A',
  'A-',
  'B++',
  'B+',
  'B',
  'B-',
  'C++',
  'C+',
  'C',
  'C-',
  'D',
] as const;
export type FinancialRating = (typeof FINANCIAL_RATINGS)[number];

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
    .describe(
      "At or under this amount a valid claim is paid by the marketplace at once (1,000.00 in the marketplace's currency: $1,000, £1,000, €1,000)",
    ),
  maxClaimAmount: z
    .number()
    .int()
    .positive()
    .default(100_000_000)
    .describe("The largest amount a claim may ask for (1,000,000.00 in the marketplace's currency)"),
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
  contestDays: z
    .number()
    .int()
    .min(1)
    .max(365)
    .default(30)
    .describe(
      "Calendar days a seller (or its insurer) has to contest how the marketplace resolved a claim, from the marketplace's payment or the latest charge to the seller",
    ),
  erasureHoldDays: z
    .number()
    .int()
    .min(0)
    .max(3650)
    .default(30)
    .describe(
      "Days after a claim's last activity during which its claimant's personal data is kept and erasure is refused (a seller may contest within 30 days)",
    ),
  paymentConfirmationBusinessDays: z
    .number()
    .int()
    .min(1)
    .max(60)
    .default(5)
    .describe(
      'Business days a seller or insurer that accepted has to confirm payment before the marketplace steps in',
    ),
  reviewBusinessDays: z
    .number()
    .int()
    .min(1)
    .max(60)
    .default(3)
    .describe(
      'Business days an agent has to finish a review (risk, dispute, appeal); past it the review escalates and the claimant is told the new date',
    ),
  sellerSeesCustomerName: z
    .boolean()
    .default(false)
    .describe(
      "Whether the seller (and its insurer) is shown the claimant's name on the claim; the claimant's other personal data never",
    ),
  evidenceWindowMinutes: z
    .number()
    .int()
    .min(0)
    .max(1440)
    .default(30)
    .describe(
      "Minutes an approved claim filed with evidenceToFollow waits for its photos before the marketplace's payout may run",
    ),
  insurance: z
    .object({
      monthlySalesThreshold: z
        .number()
        .int()
        .nonnegative()
        .default(1_000_000)
        .describe(
          "Above these gross sales in one calendar month (marketplace's zone) a seller must hold cover",
        ),
      graceDays: z
        .number()
        .int()
        .min(0)
        .max(365)
        .default(30)
        .describe('Days a seller has to put cover on file once it must hold it'),
      minPerOccurrence: z.number().int().nonnegative().default(100_000_000),
      minAggregate: z.number().int().nonnegative().default(100_000_000),
      maxDeductible: z.number().int().nonnegative().default(1_000_000),
      minInsurerRating: z
        .enum(FINANCIAL_RATINGS)
        .default('A-')
        .describe("The insurer's financial-strength rating must be this or better"),
      requireAdditionalInsured: z
        .boolean()
        .default(true)
        .describe('The marketplace must be named as additional insured'),
      proofOfInsuranceDays: z.number().int().min(1).default(7),
      expiryReminderDays: z
        .array(z.number().int().min(1).max(365))
        .max(5)
        .default([30, 7])
        .describe("Days before a policy's expiry when the seller is reminded"),
      insurerResponseBusinessDays: z
        .number()
        .int()
        .min(1)
        .max(60)
        .default(5)
        .describe('Business days an insurer has to answer a tender before the step-in rules apply'),
      quoteResponseBusinessDays: z
        .number()
        .int()
        .min(1)
        .max(30)
        .default(2)
        .describe('Business days network providers that quote by API have to answer a quote request'),
    })
    .prefault({}),
  safety: z
    .object({
      clusterClaims: z
        .number()
        .int()
        .min(1)
        .default(3)
        .describe('This many personal-injury claims of one hazard on one product …'),
      clusterWindowDays: z
        .number()
        .int()
        .min(1)
        .max(365)
        .default(30)
        .describe('… within this many days raise an alert'),
      rateMultiple: z
        .number()
        .min(1)
        .default(3)
        .describe(
          "A product's claims per 10,000 units sold at this multiple of its category's baseline raise an alert",
        ),
      rateMinClaims: z
        .number()
        .int()
        .min(1)
        .default(3)
        .describe(
          '… once it has at least this many claims of the hazard (a single claim on few units is noise)',
        ),
      rateWindowDays: z.number().int().min(1).max(3650).default(365),
      groupClusterWindows: z
        .array(
          z.object({
            windowDays: z.number().int().min(1).max(3650),
            claims: z.number().int().min(2).max(100_000),
          }),
        )
        .min(1)
        .max(5)
        .default([
          { windowDays: 30, claims: 5 },
          { windowDays: 90, claims: 8 },
          { windowDays: 365, claims: 10 },
        ])
        .describe(
          'Personal-injury claims of one hazard across one brand, or one product family (same brand and model prefix or title stem), reaching `claims` within `windowDays` raise a brand or family alert, whatever product ids they are spread over',
        ),
      severeIncident: z
        .enum(['hospitalisation', 'death'])
        .default('hospitalisation')
        .describe('One claim at or above this severity always raises an alert'),
      reportableRules: z
        .array(z.enum(['injury_cluster', 'rate_above_baseline', 'severe_incident']))
        .default(['injury_cluster', 'severe_incident'])
        .describe("Alerts of these rules meet the regulator's reporting criterion"),
      regulator: z.string().min(1).max(100).default('CPSC'),
      reportHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 30)
        .default(24)
        .describe('Hours to report to the regulator (US: 24 hours under CPSA section 15(b))'),
      extraTerms: z
        .record(z.string(), z.array(z.string().min(2).max(100)).max(200))
        .default({})
        .describe('More words per hazard for the classifier, e.g. { "fall_tip_over": ["threw me off"] }'),
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
      honestClaimsPerOrder: z
        .number()
        .gt(0)
        .lt(1)
        .default(0.03)
        .describe(
          "Claims per order an honest customer files: the base rate the serial-claimant signal compares an identity's year with (set it from the marketplace's own history)",
        ),
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

/**
 * A stored policy version, parsed (defaults filled for fields added since it was written).
 * Versions are written once and never changed, so each is parsed once per process and shared:
 * the parse walks the whole schema and every filing, review and payout read one. Frozen,
 * because it is shared: a caller that changed it would change every later reader's policy.
 */
const parsedVersions = new Map<string, Policy>();
const PARSED_VERSIONS_MAX = 1_000;

export function storedPolicy(versionId: string, stored: unknown): Policy {
  let policy = parsedVersions.get(versionId);
  if (!policy) {
    policy = deepFreeze(ZPolicy.parse(stored));
    if (parsedVersions.size >= PARSED_VERSIONS_MAX) parsedVersions.clear();
    parsedVersions.set(versionId, policy);
  }
  return policy;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
