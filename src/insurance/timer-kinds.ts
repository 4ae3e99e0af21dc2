/** Names of the insurance deadlines kept in the timers table. */
export const INSURANCE_TIMERS = {
  /** Daily, per marketplace: which sellers' sales now require cover. */
  complianceReview: 'insurance.compliance_review',
  /** Per seller: the grace period to put cover on file ends. */
  graceEnds: 'insurance.grace_ends',
  /** Per policy: it expires. */
  policyExpires: 'insurance.policy_expires',
  /** Per policy and number of days (`ipol_…:30`): remind the seller before it expires. */
  expiryReminder: 'insurance.expiry_reminder',
  /** Per tender: the insurer's answer is due. */
  tenderDue: 'insurance.tender_due',
} as const;
