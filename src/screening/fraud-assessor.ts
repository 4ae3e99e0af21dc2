import { completenessAssessor, outcomeForScore, type RiskAssessor } from '../claims/risk.ts';
import { loadScreeningFacts } from './facts-store.ts';
import { detectSignals, score } from './signals.ts';

/**
 * Screening as the programme describes it: completeness first (a claim whose damages do not
 * add up is asked about, not scored), then fraud and abuse signals in an explainable
 * logistic score. A hard rule (duplicate evidence, a claim ring, a paid line claimed again)
 * sends the claim to an independent expert whatever the score. Nothing here denies a claim.
 */
export const fraudAssessor: RiskAssessor = async (db, claim, policy, known) => {
  const completeness = await completenessAssessor(db, claim, policy);
  if (completeness.outcome === 'needs_info') return completeness;
  const facts = await loadScreeningFacts(db, claim, policy, known);
  const result = score(detectSignals(facts), policy.fraud);
  return {
    score: result.score,
    signals: result.signals,
    hardRule: result.hardRule,
    outcome: result.hardRule ? 'expert' : outcomeForScore(result.score, policy),
  };
};
