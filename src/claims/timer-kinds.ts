/** Names of the claim deadlines kept in the timers table. */
export const CLAIM_TIMERS = {
  sellerResponseDue: 'claim.seller_response_due',
  informationDue: 'claim.information_due',
  appealWindowEnds: 'claim.appeal_window_ends',
  paymentConfirmationDue: 'claim.payment_confirmation_due',
  /** A review (risk, dispute, appeal) passed its due time: escalate it (reviews.ts). */
  reviewDue: 'claim.review_due',
} as const;
