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

export function insuredOn(
  seller: { insurer_id: string | null; insured_until: Date | null },
  date: Date,
): boolean {
  return Boolean(seller.insurer_id && seller.insured_until && seller.insured_until >= date);
}
