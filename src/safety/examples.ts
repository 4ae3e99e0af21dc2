/**
 * Examples for the API reference, taken from the demo (`serve --demo`). Report, recall and match
 * ids are made when the demo is seeded: list them (GET /v1/safety/reports, GET /v1/recalls,
 * GET /v1/safety/public-recall-matches) and use what comes back.
 */

export const REGULATOR_REPORT_EXAMPLE = {
  id: 'rpt_01m8mt36geewhspb7qxgd0r13m',
  alertId: 'alr_01m8mt36geewhspb7qxgd0r13j',
  productId: 'prd-toaster',
  regulator: 'CPSC',
  status: 'due' as const,
  deadline: {
    at: '2026-11-30T14:00:38.337Z',
    local: '2026-11-30T09:00:38-05:00',
    timeZone: 'America/New_York',
  },
  hoursLeft: 14.5,
  draft: {
    rule: 'injury_cluster',
    hazard: 'fire_burn',
    seller: { id: 'slr-acme', name: 'Acme Home', contactEmail: 'claims@slr-acme.example' },
    product: {
      id: 'prd-toaster',
      title: 'Four-slice toaster',
      category: 'kitchen_appliances',
      listingStatus: 'active',
    },
    incidents: [
      {
        type: 'personal_injury',
        hazard: 'fire_burn',
        claimId: 'clm_01m8mt36geewhspb7qxgd0r0kk',
        severity: 3,
        narrative: 'Two days after it arrived the four-slice toaster overheated and scorched the counter.',
        incidentAt: '2026-10-08T23:13:54.337Z',
      },
    ],
  },
  submittedAt: null,
  submissionReference: null,
  createdAt: '2026-11-29T00:00:38.337Z',
};

export const RECALL_EXAMPLE = {
  id: 'rcl_01m8mt36geewhspb7qxgd0r2b1',
  productId: 'prd-heater',
  hazard: 'fire_burn' as const,
  remedy: 'refund' as const,
  unitsAffected: 20,
  description:
    'The heater can tip over without switching off and set fire to what is near it. Stop using it.',
  status: 'open' as const,
  alertId: null,
  progress: { notified: 18, responded: 6, remedied: 4, unitsRemedied: 4 },
  createdAt: '2026-11-29T15:00:00.000Z',
};

export const RECALL_NOTICE_EXAMPLE = {
  recallId: RECALL_EXAMPLE.id,
  customerId: 'cus-dana',
  units: 1,
  status: 'remedied' as const,
  response: 'refund',
  notifiedAt: '2026-11-29T15:00:00.000Z',
  respondedAt: '2026-11-29T18:00:00.000Z',
  remediedAt: '2026-11-30T10:00:00.000Z',
};

export const PUBLIC_RECALL_MATCH_EXAMPLE = {
  id: 'prm_01m8mt36geewhspb7qxgd0r2c4',
  productId: 'prd-heater',
  method: 'model_number' as const,
  score: 1,
  matchedTerms: ['SH-1500'],
  status: 'pending' as const,
  decidedBy: null,
  decidedAt: null,
  note: null,
  createdAt: '2026-11-29T15:00:00.000Z',
  recall: {
    id: 'pub_01m8mt36geewhspb7qxgd0r2c3',
    recallNumber: '26-041',
    recallDate: '2026-11-20',
    title: 'Acme Home Recalls Space Heaters Due to Fire Hazard',
    hazards: ['The heater can fail to switch off when tipped over, posing a fire hazard.'],
    remedy: 'Refund',
    brands: ['Acme Home'],
    manufacturers: ['Acme Home'],
    modelNumbers: ['SH-1500'],
    upcs: [],
    url: 'https://www.cpsc.gov/Recalls/2026/acme-home-recalls-space-heaters',
  },
};

export const PRODUCT_SAFETY_EXAMPLE = {
  productId: 'prd-heater',
  title: 'Space heater 1500 W',
  category: 'heating',
  sellerId: 'slr-acme',
  listingStatus: 'active',
  counterfeitFlaggedAt: null,
  unitsSold: 20,
  claims: 20,
  rateWindowDays: 365,
  byHazard: [
    {
      hazard: 'fire_burn',
      claims: 20,
      bySeverity: { property_damage: 18, injury: 0, medical_treatment: 2, hospitalisation: 0, death: 0 },
      claimsInRateWindow: 20,
      ratePer10k: 10000,
      categoryBaselinePer10k: null,
    },
  ],
  byMonth: [
    { month: '2026-09', hazard: 'fire_burn', claims: 5 },
    { month: '2026-10', hazard: 'fire_burn', claims: 8 },
    { month: '2026-11', hazard: 'fire_burn', claims: 7 },
  ],
  alerts: [],
  recall: null,
  publicRecalls: [],
};
