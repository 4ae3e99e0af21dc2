import { describe, expect, it } from 'vitest';
import { decideRecovery, insuredOn } from './recovery-rules.ts';

const compliant = {
  amount: 100_000,
  smallClaimLimit: 100_000,
  sellerStanding: 'good',
  insuredOnIncidentDate: true,
};

describe('decideRecovery', () => {
  it('waives a claim at the limit for a compliant, insured seller', () => {
    expect(decideRecovery(compliant)).toEqual({
      waived: true,
      reason: 'small_claim_compliant_insured_seller',
    });
  });

  it.each([
    ['above_small_claim_limit', { amount: 100_001 }],
    ['seller_not_compliant', { sellerStanding: 'not_compliant' }],
    ['seller_uninsured_on_incident_date', { insuredOnIncidentDate: false }],
  ])('recovers when %s', (reason, change) => {
    expect(decideRecovery({ ...compliant, ...change })).toEqual({ waived: false, reasons: [reason] });
  });

  it('names every reason at once', () => {
    const decision = decideRecovery({
      amount: 500_000,
      smallClaimLimit: 100_000,
      sellerStanding: 'not_compliant',
      insuredOnIncidentDate: false,
    });
    expect(decision).toEqual({
      waived: false,
      reasons: ['above_small_claim_limit', 'seller_not_compliant', 'seller_uninsured_on_incident_date'],
    });
  });
});

describe('insuredOn', () => {
  it('needs an insurer and cover lasting to the incident date', () => {
    const incident = new Date('2026-11-10T00:00:00Z');
    expect(insuredOn({ insurer_id: 'ins', insured_until: new Date('2026-11-10T00:00:00Z') }, incident)).toBe(
      true,
    );
    expect(insuredOn({ insurer_id: 'ins', insured_until: new Date('2026-11-09T23:59:59Z') }, incident)).toBe(
      false,
    );
    expect(insuredOn({ insurer_id: null, insured_until: new Date('2027-01-01') }, incident)).toBe(false);
  });
});
