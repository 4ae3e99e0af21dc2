import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../marketplace/policy.ts';
import { binomialTail, detectSignals, type LinkedClaim, type ScreeningFacts, score } from './signals.ts';

/** An honest claim: nothing should fire. Each test changes one fact to make one signal fire. */
const honest: ScreeningFacts = {
  claim: {
    type: 'property_damage',
    amount: 45_000,
    description: 'The kettle base overheated and scorched the counter.',
    filedAt: new Date('2026-11-16T15:00:00Z'),
    incidentAt: new Date('2026-11-10T15:00:00Z'),
  },
  product: { title: 'Electric kettle', category: 'kitchen_appliances' },
  itemPrice: 4999,
  deliveredAt: new Date('2026-11-02T15:00:00Z'),
  filingWindowDays: 90,
  customer: { accountCreatedAt: new Date('2023-01-01T00:00:00Z') },
  priorClaimsOnLine: [],
  sameIncidentClaims: 0,
  customerClaimsLastYear: 0,
  customerOrders: 12,
  linkedClaimants: 0,
  linkedToCompetingSeller: false,
  closestNarrative: null,
  categoryP90Amount: 60_000,
  unlinkedProductClaims: 0,
  productSafetyAlert: null,
  duplicateEvidence: { sameFile: [], samePhoto: [] },
};

const codes = (f: ScreeningFacts) => detectSignals(f).map((s) => s.code);

describe('fraud signals', () => {
  it('stay quiet on an honest claim, which scores low', () => {
    expect(codes(honest)).toEqual([]);
    expect(score([], DEFAULT_POLICY.fraud).score).toBeLessThan(DEFAULT_POLICY.fraud.reviewThreshold);
  });

  it.each<[string, Partial<ScreeningFacts>, Partial<ScreeningFacts>]>([
    [
      'line_already_claimed',
      { priorClaimsOnLine: [{ status: 'closed', paid: false }] },
      { priorClaimsOnLine: [] },
    ],
    ['same_incident_refiled', { sameIncidentClaims: 1 }, { sameIncidentClaims: 0 }],
    ['duplicate_evidence_file', { duplicateEvidence: { sameFile: ['clm_x'], samePhoto: [] } }, {}],
    ['similar_photo_elsewhere', { duplicateEvidence: { sameFile: [], samePhoto: ['clm_x'] } }, {}],
    ['frequent_claimant', { customerClaimsLastYear: 2 }, { customerClaimsLastYear: 1 }],
    [
      'high_claim_to_order_ratio',
      { customerClaimsLastYear: 1, customerOrders: 3 },
      { customerClaimsLastYear: 1, customerOrders: 5 },
    ],
    [
      'new_account',
      { customer: { accountCreatedAt: new Date('2026-11-01T00:00:00Z') } },
      { customer: { accountCreatedAt: new Date('2026-10-10T00:00:00Z') } },
    ],
    [
      'filed_right_after_delivery',
      {
        deliveredAt: new Date('2026-11-15T16:00:00Z'),
        claim: { ...honest.claim, incidentAt: new Date('2026-11-15T18:00:00Z') },
      },
      { deliveredAt: new Date('2026-11-13T15:00:00Z') },
    ],
    [
      'filed_at_window_end',
      { claim: { ...honest.claim, incidentAt: new Date('2026-08-20T15:00:00Z') } },
      { claim: { ...honest.claim, incidentAt: new Date('2026-08-25T16:00:00Z') } },
    ],
    ['linked_claimants', { linkedClaimants: 1 }, { linkedClaimants: 0 }],
    ['linked_to_competing_seller', { linkedToCompetingSeller: true }, {}],
    [
      'amount_far_above_price',
      { claim: { ...honest.claim, amount: 100_000 + 1 }, itemPrice: 5000 },
      { claim: { ...honest.claim, amount: 100_000 }, itemPrice: 5000 },
    ],
    ['amount_above_category_norm', { categoryP90Amount: 10_000 }, { categoryP90Amount: 15_000 }],
    [
      'near_duplicate_narrative',
      { closestNarrative: { claimId: 'clm_y', similarity: 0.6 } },
      { closestNarrative: { claimId: 'clm_y', similarity: 0.4 } },
    ],
    [
      'narrative_off_product',
      { claim: { ...honest.claim, description: 'My phone screen cracked when it fell.' } },
      { claim: { ...honest.claim, description: 'The kettles lid snapped off.' } },
    ],
    ['product_safety_cluster', { unlinkedProductClaims: 3 }, { unlinkedProductClaims: 2 }],
    [
      'product_safety_alert',
      { productSafetyAlert: { alertId: 'alr_1', hazard: 'fire_burn', rule: 'injury_cluster' } },
      { productSafetyAlert: null },
    ],
    [
      'product_public_recall',
      { productPublicRecall: { recallNumber: '19-094', title: 'Rock ‘n Play Sleepers' } },
      { productPublicRecall: null },
    ],
  ])('%s fires on its case and stays quiet on the near miss', (code, firing, nearMiss) => {
    expect(codes({ ...honest, ...firing })).toContain(code);
    expect(codes({ ...honest, ...nearMiss })).not.toContain(code);
  });

  it('makes a hard rule of a paid line claimed again, duplicate evidence and a ring of three', () => {
    const paid = detectSignals({ ...honest, priorClaimsOnLine: [{ status: 'closed', paid: true }] });
    expect(score(paid, DEFAULT_POLICY.fraud).hardRule).toBe('paid_line_refiled');
    expect(score(detectSignals({ ...honest, linkedClaimants: 3 }), DEFAULT_POLICY.fraud).hardRule).toBe(
      'claim_ring',
    );
    expect(score(detectSignals({ ...honest, linkedClaimants: 2 }), DEFAULT_POLICY.fraud).hardRule).toBeNull();
  });

  it('lowers the risk of a claim when many unrelated customers claim on the product', () => {
    const base = detectSignals({ ...honest, customerClaimsLastYear: 2 });
    const withCluster = detectSignals({ ...honest, customerClaimsLastYear: 2, unlinkedProductClaims: 5 });
    expect(score(withCluster, DEFAULT_POLICY.fraud).score).toBeLessThan(
      score(base, DEFAULT_POLICY.fraud).score,
    );
  });

  it('explains the score: each signal with its reason and weight, weights from the policy', () => {
    const fired = detectSignals({ ...honest, linkedToCompetingSeller: true });
    const explained = score(fired, { bias: -3, weights: { linked_to_competing_seller: 5 } });
    expect(explained.signals).toEqual([
      { code: 'linked_to_competing_seller', reason: expect.stringContaining('competing'), weight: 5 },
    ]);
    expect(explained.score).toBeCloseTo(1 / (1 + Math.exp(-2)), 3);
  });
});

/** A claim of the past year by an account sharing `sharedKinds` with the claimant. */
const linkedClaim = (amount: number, sharedKinds: string[]): LinkedClaim => ({
  claimId: 'clm_other',
  customerId: 'cus_other',
  amount,
  filedAt: new Date('2026-09-01T12:00:00Z'),
  sellerId: 'slr_1',
  sharedKinds,
});

describe('quiet abuse signals', () => {
  const quiet: ScreeningFacts = {
    ...honest,
    identityHistory: { accounts: 1, claims: 1, orders: 12, categories: 1 },
    linkedClaims: [],
    competitorCluster: null,
    smallClaimLimit: 100_000,
    honestClaimsPerOrder: 0.03,
  };
  const fired = (f: Partial<ScreeningFacts>) => detectSignals({ ...quiet, ...f });

  it('stay quiet on an honest claim with the new facts loaded', () => {
    expect(codes(quiet)).toEqual([]);
  });

  it.each<[string, Partial<ScreeningFacts>, Partial<ScreeningFacts>]>([
    [
      // Three claims on the three orders of a year, in three categories: 1 in 37,000 at 3 per 100.
      'serial_claimant',
      { identityHistory: { accounts: 1, claims: 3, orders: 3, categories: 3 } },
      // A regular shopper with three claims on a year of twelve orders is unremarkable (1 in 200).
      { identityHistory: { accounts: 1, claims: 3, orders: 12, categories: 3 } },
    ],
    [
      'serial_claimant',
      { identityHistory: { accounts: 2, claims: 4, orders: 6, categories: 2 } },
      // Two claims on two orders: improbable, but the honest world has many such claimants.
      { identityHistory: { accounts: 1, claims: 2, orders: 2, categories: 2 } },
    ],
    [
      'household_under_limit',
      { claim: { ...honest.claim, amount: 96_000 }, linkedClaims: [linkedClaim(99_000, ['address'])] },
      // A couple at one address, one of whose claims happened to be near the limit.
      { claim: { ...honest.claim, amount: 96_000 }, linkedClaims: [linkedClaim(45_000, ['address'])] },
    ],
    [
      'household_under_limit',
      { claim: { ...honest.claim, amount: 90_000 }, linkedClaims: [linkedClaim(94_500, ['phone'])] },
      // Over the limit is not "just under" it (it goes to the seller, not paid at once).
      { claim: { ...honest.claim, amount: 100_500 }, linkedClaims: [linkedClaim(94_500, ['phone'])] },
    ],
    [
      'shared_device_or_payment',
      { linkedClaims: [linkedClaim(30_000, ['device_id'])] },
      // A family tablet: the device and the home are shared.
      { linkedClaims: [linkedClaim(30_000, ['address', 'device_id'])] },
    ],
    [
      'shared_device_or_payment',
      { linkedClaims: [linkedClaim(30_000, ['payment_fingerprint'])] },
      { linkedClaims: [linkedClaim(30_000, ['address', 'payment_fingerprint'])] },
    ],
    [
      'competitor_cluster',
      { competitorCluster: { competingSellerId: 'slr_rival', otherClaims: 2, otherAccounts: 2 } },
      // Linked to a rival, but nobody else linked to it claimed on this seller.
      { competitorCluster: null },
    ],
  ])('%s fires on the pattern and stays quiet on the honest near miss', (code, firing, nearMiss) => {
    expect(fired(firing).map((s) => s.code)).toContain(code);
    expect(fired(nearMiss).map((s) => s.code)).not.toContain(code);
  });

  it('each sends the claim to a person with the link it comes with, and keeps its evidence', () => {
    const cases: [string, Partial<ScreeningFacts>][] = [
      [
        'serial_claimant',
        {
          identityHistory: { accounts: 1, claims: 3, orders: 3, categories: 3 },
          customerClaimsLastYear: 2,
          customerOrders: 3,
        },
      ],
      [
        'household_under_limit',
        {
          claim: { ...honest.claim, amount: 96_000 },
          linkedClaims: [linkedClaim(99_000, ['address'])],
          linkedClaimants: 1,
        },
      ],
      [
        'shared_device_or_payment',
        { linkedClaims: [linkedClaim(30_000, ['device_id'])], linkedClaimants: 1 },
      ],
      [
        'competitor_cluster',
        {
          competitorCluster: { competingSellerId: 'slr_rival', otherClaims: 1, otherAccounts: 1 },
          linkedToCompetingSeller: true,
        },
      ],
    ];
    for (const [code, facts] of cases) {
      const result = score(fired(facts), DEFAULT_POLICY.fraud);
      expect(result.score, code).toBeGreaterThanOrEqual(DEFAULT_POLICY.fraud.reviewThreshold);
      expect(result.signals.find((s) => s.code === code)?.evidence, code).toBeDefined();
    }
  });

  it('the household signal names the other claims under the limit in its evidence', () => {
    const [signal] = fired({
      claim: { ...honest.claim, amount: 96_000 },
      linkedClaims: [linkedClaim(99_000, ['address']), linkedClaim(20_000, ['address'])],
    });
    expect(signal?.evidence).toEqual({
      smallClaimLimit: 100_000,
      amount: 96_000,
      claims: [{ claimId: 'clm_other', amount: 99_000, shared: ['address'] }],
    });
  });

  it('weighs a loose paraphrase at half a close one', () => {
    const weight = (similarity: number, sharedLemmas: number) =>
      score(
        fired({ closestParaphrase: { claimId: 'clm_p', similarity, sharedLemmas } }),
        DEFAULT_POLICY.fraud,
      ).signals.find((s) => s.code === 'paraphrased_narrative')?.weight;
    expect(weight(0.6, 9)).toBe(3);
    expect(weight(0.42, 6)).toBe(1.5);
    expect(weight(0.3, 9)).toBeUndefined();
  });

  it('computes the binomial tail the serial signal reads', () => {
    expect(binomialTail(0, 5, 0.1)).toBe(1);
    expect(binomialTail(1, 1, 0.5)).toBeCloseTo(0.5, 10);
    expect(binomialTail(2, 3, 0.5)).toBeCloseTo(0.5, 10);
    expect(binomialTail(3, 3, 0.03)).toBeCloseTo(0.03 ** 3, 10);
    expect(binomialTail(4, 3, 0.03)).toBe(0);
  });
});
