/**
 * The marketplace's books for the guarantee. Amounts are signed minor units: a debit is
 * positive, a credit negative, so every entry's lines sum to zero.
 *
 * - guarantee_fund: what the guarantee has cost the marketplace (debit = cost)
 * - marketplace_cash: the marketplace's money at its payment provider
 * - customer_payable: what the marketplace owes a customer for an approved claim (credit = owed)
 * - seller_receivable: what a seller owes the marketplace after it paid in the seller's place
 * - seller_disbursement: a seller's sales proceeds the marketplace holds for it (credit = held)
 * - insurer_receivable: what a seller's insurer owes the marketplace
 * - customer_receivable: what a claimant owes back after being paid on a claim later flagged
 */
export const ACCOUNT_KINDS = [
  'guarantee_fund',
  'marketplace_cash',
  'customer_payable',
  'seller_receivable',
  'seller_disbursement',
  'insurer_receivable',
  'customer_receivable',
] as const;

export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export interface AccountRef {
  kind: AccountKind;
  /** The customer, seller or insurer; null for the marketplace's own accounts. */
  partyId: string | null;
}

export const accountId = (marketplaceId: string, ref: AccountRef) =>
  ref.partyId ? `${ref.kind}:${marketplaceId}:${ref.partyId}` : `${ref.kind}:${marketplaceId}`;

export const fund: AccountRef = { kind: 'guarantee_fund', partyId: null };
export const cash: AccountRef = { kind: 'marketplace_cash', partyId: null };
export const customerPayable = (customerId: string): AccountRef => ({
  kind: 'customer_payable',
  partyId: customerId,
});
export const sellerReceivable = (sellerId: string): AccountRef => ({
  kind: 'seller_receivable',
  partyId: sellerId,
});
export const sellerDisbursement = (sellerId: string): AccountRef => ({
  kind: 'seller_disbursement',
  partyId: sellerId,
});
export const insurerReceivable = (insurerId: string): AccountRef => ({
  kind: 'insurer_receivable',
  partyId: insurerId,
});
export const customerReceivable = (customerId: string): AccountRef => ({
  kind: 'customer_receivable',
  partyId: customerId,
});
