import { FINANCIAL_RATINGS, type FinancialRating, type Policy } from '../marketplace/policy.ts';

/**
 * Whether a seller's insurance meets its marketplace's policy. Pure: the facts come in, a
 * verdict goes out. The reference programme requires cover once a seller's monthly sales pass a
 * threshold, gives it a grace period to get it, and accepts only occurrence-based liability
 * cover with minimum limits, a capped deductible, a well-rated insurer and the marketplace
 * named as additional insured.
 */
export interface PolicyOnFile {
  id: string;
  status: string;
  insurerRating: string | null;
  perOccurrence: number;
  aggregate: number;
  deductible: number;
  currency: string;
  additionalInsured: boolean;
  effectiveFrom: Date;
  expiresAt: Date;
}

export const INSURANCE_STATUSES = ['not_required', 'grace', 'compliant', 'not_compliant'] as const;
export type InsuranceStatus = (typeof INSURANCE_STATUSES)[number];

/** Verified cover counts for the days it was in force, even after it has since expired. */
const WAS_VERIFIED = new Set(['verified', 'expired']);

export function inForce(policy: PolicyOnFile, at: Date): boolean {
  return WAS_VERIFIED.has(policy.status) && policy.effectiveFrom <= at && at < policy.expiresAt;
}

/** The policy that covered a moment (the one with the highest limit when several did), or null. */
export function coverOn<P extends PolicyOnFile>(policies: readonly P[], at: Date): P | null {
  const covering = policies.filter((p) => inForce(p, at));
  covering.sort((a, b) => b.perOccurrence - a.perOccurrence || b.expiresAt.getTime() - a.expiresAt.getTime());
  return covering[0] ?? null;
}

/** An unrated insurer, or one rated on another scale, does not meet any minimum. */
export function ratingMeets(rating: string | null, minimum: FinancialRating): boolean {
  const rank = FINANCIAL_RATINGS.indexOf(rating as FinancialRating);
  return rank >= 0 && rank <= FINANCIAL_RATINGS.indexOf(minimum);
}

/** Each way a policy falls short of the marketplace's minimum, in words; empty when it meets it. */
export function shortfalls(
  policy: PolicyOnFile,
  rules: Policy['insurance'],
  marketplaceCurrency: string,
): { rule: string; detail: string }[] {
  const found: { rule: string; detail: string }[] = [];
  if (policy.currency !== marketplaceCurrency) {
    found.push({ rule: 'currency', detail: `limits must be in ${marketplaceCurrency}` });
    return found;
  }
  if (policy.perOccurrence < rules.minPerOccurrence)
    found.push({
      rule: 'per_occurrence_limit',
      detail: `per-occurrence limit ${policy.perOccurrence} is below the minimum ${rules.minPerOccurrence}`,
    });
  if (policy.aggregate < rules.minAggregate)
    found.push({
      rule: 'aggregate_limit',
      detail: `aggregate limit ${policy.aggregate} is below the minimum ${rules.minAggregate}`,
    });
  if (policy.deductible > rules.maxDeductible)
    found.push({
      rule: 'deductible',
      detail: `deductible ${policy.deductible} is above the maximum ${rules.maxDeductible}`,
    });
  if (!ratingMeets(policy.insurerRating, rules.minInsurerRating))
    found.push({
      rule: 'insurer_rating',
      detail: `the insurer is rated ${policy.insurerRating ?? 'nowhere'}; ${rules.minInsurerRating} or better is required`,
    });
  if (rules.requireAdditionalInsured && !policy.additionalInsured)
    found.push({ rule: 'additional_insured', detail: 'the marketplace must be named as additional insured' });
  return found;
}

/** Cover in force now that meets the minimum, if any. */
export function compliantCoverOn<P extends PolicyOnFile>(
  policies: readonly P[],
  at: Date,
  rules: Policy['insurance'],
  marketplaceCurrency: string,
): P | null {
  return (
    policies.find((p) => inForce(p, at) && shortfalls(p, rules, marketplaceCurrency).length === 0) ?? null
  );
}

/**
 * The seller's insurance flag. Cover that meets the minimum makes it compliant whether or not it
 * must hold it; a seller that must and has none is in grace until its grace period ends, then
 * not compliant, and compliant again as soon as cover is verified.
 */
export function insuranceStatus(facts: {
  required: boolean;
  graceUntil: Date | null;
  now: Date;
  hasCompliantCover: boolean;
}): InsuranceStatus {
  if (facts.hasCompliantCover) return 'compliant';
  if (!facts.required) return 'not_required';
  if (facts.graceUntil && facts.now < facts.graceUntil) return 'grace';
  return 'not_compliant';
}
