import { describe, expect, it } from 'vitest';
import { decideRecovery, sellerStanding } from './recovery-rules.ts';

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

describe('sellerStanding', () => {
  it('is good only when the marketplace holds it so and insurance does not flag it', () => {
    expect(sellerStanding({ standing: 'good', insurance_status: 'compliant' })).toBe('good');
    expect(sellerStanding({ standing: 'good', insurance_status: 'grace' })).toBe('good');
    expect(sellerStanding({ standing: 'good', insurance_status: 'not_compliant' })).toBe('not_compliant');
    expect(sellerStanding({ standing: 'not_compliant', insurance_status: 'compliant' })).toBe(
      'not_compliant',
    );
  });
});
