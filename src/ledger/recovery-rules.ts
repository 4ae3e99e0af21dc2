/**
 * Whether the marketplace recovers what it paid from the seller. The reference programme
 * waives recovery for claims within the small-claim limit when the seller followed policy
 * (standing good) and held valid insurance on the incident date; otherwise it recovers.
 */
export interface RecoveryFacts {
  amount: number;
  smallClaimLimit: number;
  sellerStanding: string;
  insuredOnIncidentDate: boolean;
}

export type RecoveryDecision = { waived: true; reason: string } | { waived: false; reasons: string[] };

export function decideRecovery(f: RecoveryFacts): RecoveryDecision {
  const reasons: string[] = [];
  if (f.amount > f.smallClaimLimit) reasons.push('above_small_claim_limit');
  if (f.sellerStanding !== 'good') reasons.push('seller_not_compliant');
  if (!f.insuredOnIncidentDate) reasons.push('seller_uninsured_on_incident_date');
  return reasons.length === 0
    ? { waived: true, reason: 'small_claim_compliant_insured_seller' }
    : { waived: false, reasons };
}

/**
 * A seller follows policy when the marketplace holds it in good standing and it is not flagged
 * for missing the insurance it must hold (a seller still in its grace period is not flagged).
 */
export function sellerStanding(seller: { standing: string; insurance_status: string }): string {
  return seller.standing === 'good' && seller.insurance_status !== 'not_compliant' ? 'good' : 'not_compliant';
}
