import type { Policy } from '../marketplace/policy.ts';
import type { Queryable } from '../platform/db/sql.ts';
import type { ScreeningOutcome } from './routing.ts';
import type { ClaimRow } from './store.ts';

export interface RiskSignal {
  code: string;
  /** Why it fired, in words an agent or expert can check. */
  reason: string;
  /** Its contribution to the score; negative signals lower risk. */
  weight: number;
  /** The facts it read (claim ids, counts, amounts), stored for staff to check; never shown to parties. */
  evidence?: Record<string, unknown>;
}

export interface RiskAssessment {
  score: number;
  signals: RiskSignal[];
  outcome: ScreeningOutcome;
  /** A rule (not a score) that forces the outcome, e.g. a duplicate evidence file. */
  hardRule: string | null;
}

/**
 * The seam that fraud and abuse detection fills: given an eligible claim, how risky is it and
 * where should it go. It never denies: a denial needs a person (agent or expert).
 */
export type RiskAssessor = (
  db: Queryable,
  claim: ClaimRow,
  policy: Policy,
  known?: KnownFilingFacts,
) => Promise<RiskAssessment>;

/**
 * Rows a filing has already read (claims/filing-context.ts), so screening does not read them
 * again; screening reads them itself when a claim is screened again later.
 */
export interface KnownFilingFacts {
  line: { unitPrice: number; quantity: number; deliveredAt: Date | null } | null;
  product: { title: string; category: string } | null;
  customerAccountCreatedAt: Date | null;
  /** Files sent with the filing: with none, no evidence can match another claim's. */
  evidenceFiles: number;
}

interface Damage {
  amount: { value: number };
}

/** Places a score on the policy's thresholds. */
export function outcomeForScore(score: number, policy: Policy): ScreeningOutcome {
  if (score >= policy.fraud.expertThreshold) return 'expert';
  if (score >= policy.fraud.reviewThreshold) return 'review';
  return 'pass';
}

/**
 * A description shorter than this is accepted at filing (a real report can be "Arm stuck") and
 * screening asks the claimant for a fuller account instead of refusing the claim.
 */
export const FULL_DESCRIPTION_LENGTH = 20;

/**
 * What a claim lacks to be decided, as signals: itemised damages that do not add up to the
 * amount claimed, and a description too short to decide on. The short description is asked
 * about once, at the first screening (no earlier assessment on the claim): the claimant's
 * answer to that request is the fuller account, and asking again would loop.
 */
export function missingInformation(
  claim: Pick<ClaimRow, 'damages' | 'amount' | 'description' | 'risk'>,
): RiskSignal[] {
  const signals: RiskSignal[] = [];
  const itemised = (claim.damages as Damage[]).reduce((sum, d) => sum + d.amount.value, 0);
  if (itemised !== claim.amount) {
    signals.push({
      code: 'damages_do_not_add_up',
      reason: `itemised damages add up to ${itemised}, the claim asks for ${claim.amount}`,
      weight: 0,
    });
  }
  const described = claim.description.trim().length;
  if (described < FULL_DESCRIPTION_LENGTH && claim.risk === null) {
    signals.push({
      code: 'description_too_short',
      reason: `the description has ${described} characters; ask the claimant what happened, in at least ${FULL_DESCRIPTION_LENGTH}`,
      weight: 0,
    });
  }
  return signals;
}

/**
 * The built-in assessor: checks that the claim is complete enough to decide. What is missing
 * is asked about, not scored.
 */
export const completenessAssessor: RiskAssessor = async (_db, claim, policy) => {
  const missing = missingInformation(claim);
  if (missing.length > 0) return { score: 0, signals: missing, outcome: 'needs_info', hardRule: null };
  return { score: 0, signals: [], outcome: outcomeForScore(0, policy), hardRule: null };
};
