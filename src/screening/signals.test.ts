import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../marketplace/policy.ts';
import { detectSignals, type ScreeningFacts, score } from './signals.ts';

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
