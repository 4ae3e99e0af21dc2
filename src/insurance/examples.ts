/**
 * Examples for the API reference, taken from the demo (`serve --demo`): Harbor Mutual, the vetted
 * network provider `ins-harbor`, and Acme Home's (`slr-acme`) policy with it. Policy, quote and
 * request ids are made when the demo is seeded: list them (GET /v1/insurance-policies, GET
 * /v1/insurance/quote-requests) and use what comes back.
 */

const usd = (value: number) => ({ value, currency: 'USD' });

export const APPETITE_EXAMPLE = {
  currency: 'USD',
  categories: { accepted: null, excluded: [] },
  annualSales: { min: 1000000, max: 5000000000 },
  limits: { minPerOccurrence: 100000000, maxPerOccurrence: 500000000, maxAggregate: 1000000000 },
  deductible: 250000,
  maxClaimsInHistory: 20,
  acceptsNotCompliant: true,
  quoteBy: 'rating_table',
  quoteValidDays: 30,
  policyExclusions: ['Punitive damages', 'Products under recall when bound'],
  rating: {
    baseRatePer1000: { heating: 4.5, electronics: 3.1, kitchen_appliances: 2.2 },
    defaultBaseRatePer1000: null,
    claimsHistory: [
      { upToClaims: 0, factor: 0.9 },
      { upToClaims: 3, factor: 1 },
      { upToClaims: 20, factor: 1.4 },
    ],
    compliance: { compliant: 0.95, not_compliant: 1.15 },
    increasedLimits: [
      { upToPerOccurrence: 100000000, factor: 1 },
      { upToPerOccurrence: 200000000, factor: 1.35 },
      { upToPerOccurrence: 500000000, factor: 1.8 },
    ],
    minimumPremium: 60000,
  },
};

export const INSURER_EXAMPLE = {
  id: 'ins-harbor',
  name: 'Harbor Mutual',
  financialRating: 'A',
  contactEmail: 'claims@harbor.example',
  networkStatus: 'vetted' as const,
  vettedAt: '2026-08-30T23:26:26.337Z',
  appetite: APPETITE_EXAMPLE,
  updatedAt: '2026-08-30T23:26:26.337Z',
};

export const POLICY_EXAMPLE = {
  id: 'ipol_01m8mt36geewhspb7qxgd0qzky',
  sellerId: 'slr-acme',
  insurerId: 'ins-harbor',
  policyNumber: 'HM-slr-acme',
  perOccurrence: usd(100000000),
  aggregate: usd(200000000),
  deductible: usd(100000),
  additionalInsured: true,
  effectiveFrom: '2026-06-17T23:26:26.337Z',
  expiresAt: '2027-06-17T23:26:26.337Z',
  status: 'verified' as const,
  certificate: null,
  rejectionReason: null,
  verifiedAt: '2026-08-30T23:26:26.337Z',
  verifiedBy: 'agent',
  source: 'agent' as const,
  quoteId: null,
  shortfalls: [],
  createdAt: '2026-08-30T23:26:26.337Z',
};

export const SELLER_INSURANCE_EXAMPLE = {
  sellerId: 'slr-acme',
  status: 'compliant' as const,
  requiredSince: null,
  graceUntil: null,
  coveringPolicyId: POLICY_EXAMPLE.id,
  policies: [POLICY_EXAMPLE],
};

export const QUOTE_EXAMPLE = {
  id: 'qte_01m8mt36geewhspb7qxgd0r2aa',
  requestId: 'qrq_01m8mt36geewhspb7qxgd0r2a9',
  insurerId: 'ins-harbor',
  insurerName: 'Harbor Mutual',
  financialRating: 'A',
  source: 'rating_table' as const,
  premium: usd(171000),
  platformFee: usd(0),
  perOccurrence: usd(100000000),
  aggregate: usd(200000000),
  deductible: usd(250000),
  exclusions: ['Punitive damages', 'Products under recall when bound'],
  rating: { baseRatePer1000: 4.5, factors: { claimsHistory: 1, compliance: 0.95, increasedLimits: 1 } },
  validUntil: '2026-12-29T23:26:26.337Z',
  status: 'offered' as const,
  policyId: null,
};

export const QUOTE_REQUEST_EXAMPLE = {
  id: QUOTE_EXAMPLE.requestId,
  sellerId: 'slr-acme',
  status: 'open' as const,
  sales: [{ category: 'heating', annualSales: usd(40000000) }],
  perOccurrence: usd(100000000),
  aggregate: usd(200000000),
  claimsHistory: { claims: 2, paidAmount: usd(150000), years: 3 },
  compliance: 'compliant' as const,
  respondBy: '2026-12-01T23:26:26.337Z',
  quotes: [QUOTE_EXAMPLE],
  awaiting: [],
  declinedBy: [
    {
      insurerId: 'ins-beacon',
      name: 'Beacon Specialty',
      rules: [{ rule: 'category_excluded', detail: 'heating is excluded' }],
    },
  ],
  createdAt: '2026-11-29T23:26:26.337Z',
};
