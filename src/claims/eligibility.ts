import type { Policy } from '../marketplace/policy.ts';

/** Why a claim cannot be considered at all; stored on the denied claim as its reason. */
export const INELIGIBILITY_CODES = [
  'order_unknown',
  'order_not_claimants',
  'line_unknown',
  'not_delivered',
  'not_third_party_seller',
  'incident_before_delivery',
  'incident_in_future',
  'outside_filing_window',
  'amount_not_positive',
  'amount_above_maximum',
  'currency_mismatch',
  'open_claim_on_line',
] as const;

export type IneligibilityCode = (typeof INELIGIBILITY_CODES)[number];

export interface EligibilityFacts {
  filedAt: Date;
  incidentAt: Date;
  amount: { value: number; currency: string };
  claimantCustomerId: string;
  marketplaceCurrency: string;
  order: { customerId: string } | null;
  line: { deliveredAt: Date | null; sellerKind: string } | null;
  openClaimOnLine: boolean;
  policy: Policy;
}

const DAY_MS = 86_400_000;

/** First failing rule, in the order a claims handler would check them; null when eligible. */
export function checkEligibility(f: EligibilityFacts): IneligibilityCode | null {
  if (!f.order) return 'order_unknown';
  if (f.order.customerId !== f.claimantCustomerId) return 'order_not_claimants';
  if (!f.line) return 'line_unknown';
  if (!f.line.deliveredAt) return 'not_delivered';
  if (f.line.sellerKind !== 'third_party') return 'not_third_party_seller';
  if (f.incidentAt < f.line.deliveredAt) return 'incident_before_delivery';
  if (f.incidentAt > f.filedAt) return 'incident_in_future';
  if (f.filedAt.getTime() - f.incidentAt.getTime() > f.policy.filingWindowDays * DAY_MS)
    return 'outside_filing_window';
  if (f.amount.value <= 0) return 'amount_not_positive';
  if (f.amount.currency !== f.marketplaceCurrency) return 'currency_mismatch';
  if (f.amount.value > f.policy.maxClaimAmount) return 'amount_above_maximum';
  if (f.openClaimOnLine) return 'open_claim_on_line';
  return null;
}
