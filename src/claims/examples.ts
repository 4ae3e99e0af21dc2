/**
 * A claim as staff see it, taken from the demo marketplace (`serve --demo`): Dana Reyes's claim about
 * the space heater, waiting for the seller's answer. The id differs in each demo database: list them
 * with GET /v1/claims.
 */
export const CLAIM_EXAMPLE = {
  id: 'clm_01m8mde2p1kh4908cmvand5570',
  claimNumber: 'R-VAND-5570',
  productTitle: 'Space heater 1500 W',
  sellerName: 'Acme Home',
  customerName: 'Dana Reyes',
  marketplaceId: 'demo-us',
  orderId: 'ord-1001',
  lineId: '3',
  customerId: 'cus-dana',
  sellerId: 'slr-acme',
  productId: 'prd-heater',
  type: 'property_damage',
  incidentAt: '2026-11-26T19:45:06.292Z',
  description: 'The heater tipped over and set fire to the living room rug and sofa.',
  amount: {
    value: 120000,
    currency: 'USD',
  },
  approvedAmount: null,
  damages: [
    {
      kind: 'property_damage',
      description: 'As itemised on the attached invoice',
      amount: {
        value: 120000,
        currency: 'USD',
      },
    },
  ],
  status: 'awaiting_seller',
  payer: null,
  stepIn: false,
  insurerId: null,
  recallId: null,
  coveringPolicyId: null,
  reviewKind: null,
  policyVersion: {
    id: 'pol_01m8mddxtvmb5g53xjgwd69brz',
    version: 1,
  },
  deadlines: {
    sellerResponse: {
      at: '2026-12-02T05:00:00.000Z',
      local: '2026-12-02T00:00:00-05:00',
      timeZone: 'America/New_York',
    },
    claimantInformation: null,
    appeal: null,
    review: null,
  },
  owner: null,
  reviewEscalatedAt: null,
  filing: { channel: 'phone' as const, filedBy: { role: 'agent', id: 'key_01m8mddxw3agnt7q2w9e4r6t8y' } },
  denialReason: null,
  sellerResponse: null,
  risk: {
    score: 0.1192,
    outcome: 'pass',
    hardRule: null,
    signals: [
      {
        code: 'high_claim_to_order_ratio',
        reason: '2 claims against 1 orders',
        weight: 1,
      },
    ],
  },
  payment: null,
  recovery: null,
  deadlinePaymentConfirmation: null,
  actions: [
    { name: 'refer_to_expert', deadline: null },
    { name: 'take', deadline: null },
    { name: 'reassign', deadline: null },
    { name: 'note', deadline: null },
    { name: 'message_claimant', deadline: null },
    { name: 'message_seller', deadline: null },
  ],
  appealed: false,
  filedAt: '2026-11-29T19:45:11.361Z',
  decidedAt: null,
  updatedAt: '2026-11-29T19:45:12.166Z',
};

export const CLAIM_EVENT_EXAMPLE = {
  id: 'evt_01m8mde2p31394njjm9j6m9xx0',
  seq: 1,
  type: 'claim.filed',
  at: '2026-11-29T19:45:11.363Z',
  actor: { role: 'customer', id: 'cus-dana' },
  reason: null,
  data: {
    type: 'property_damage',
    amount: { value: 120000, currency: 'USD' },
    lineId: '3',
    orderId: 'ord-1001',
    policyVersion: 1,
  },
  prevHash: '',
  hash: '2fae6bd049c217f8e953ed0ca879bd7314fd91e539295dbb0331c46cd2c8472f',
};

export const EVIDENCE_EXAMPLE = {
  id: 'evd_01m8mdf0a1b2c3d4e5f6g7h8j9',
  claimId: 'clm_01m8mde2p1kh4908cmvand5570',
  sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  mediaType: 'image/jpeg',
  sizeBytes: 284113,
  filename: 'scorched-rug.jpg',
  purpose: 'photo',
  uploadedBy: { role: 'customer' },
  createdAt: '2026-11-29T19:47:02.000Z',
};
