/**
 * Reason codes a person (an agent, or an expert's verdict) may deny a claim with; screening's
 * own codes are in eligibility.ts. A pure list, so the event catalogue can word them for the
 * claimant without importing the use case.
 */
export const DECISION_DENIAL_CODES = [
  'unsubstantiated',
  'frivolous',
  'abusive',
  'duplicate',
  'not_covered',
] as const;
