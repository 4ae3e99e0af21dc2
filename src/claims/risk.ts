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
export type RiskAssessor = (db: Queryable, claim: ClaimRow, policy: Policy) => Promise<RiskAssessment>;

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
 * The built-in assessor: checks that the claim is complete enough to decide. Itemised damages
 * that do not add up to the amount claimed are asked about, not scored.
 */
export const completenessAssessor: RiskAssessor = async (_db, claim, policy) => {
  const damages = claim.damages as Damage[];
  const itemised = damages.reduce((sum, d) => sum + d.amount.value, 0);
  if (itemised !== claim.amount) {
    return {
      score: 0,
      signals: [
        {
          code: 'damages_do_not_add_up',
          reason: `itemised damages add up to ${itemised}, the claim asks for ${claim.amount}`,
          weight: 0,
        },
      ],
      outcome: 'needs_info',
      hardRule: null,
    };
  }
  return { score: 0, signals: [], outcome: outcomeForScore(0, policy), hardRule: null };
};
