import type { Policy } from '../marketplace/policy.ts';
import type { Hazard } from './lexicon.ts';
import { SEVERITIES } from './lexicon.ts';

export const ALERT_RULES = [
  'injury_cluster',
  'rate_above_baseline',
  'severe_incident',
  'brand_cluster',
  'family_cluster',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];
/** The rules one product's claims trip; brand and family clusters span products (group-cluster-rules.ts). */
export type ProductAlertRule = Exclude<AlertRule, 'brand_cluster' | 'family_cluster'>;

/** What is known about one product and hazard when a new claim of that hazard arrives. */
export interface ProductHazardFacts {
  hazard: Hazard;
  /** The new claim's severity, 1–5. */
  newClaimSeverity: number;
  /** Personal-injury claims of this hazard on this product within the cluster window. */
  injuryClaimsInWindow: number;
  /** Claims of this hazard on this product within the rate window. */
  claimsInRateWindow: number;
  unitsSold: number;
  /**
   * Claims of this hazard per 10,000 units across the rest of the product's category; null when
   * the rest of the category sold too little to say.
   */
  categoryBaselinePer10k: number | null;
}

export interface AlertTrigger<Rule extends AlertRule = ProductAlertRule> {
  rule: Rule;
  reason: string;
  measure: Record<string, number | null>;
}

export const per10k = (claims: number, units: number) => (units > 0 ? (claims * 10_000) / units : null);

/**
 * Which thresholds a product crosses with its newest claim. Each rule fires exactly at its
 * threshold: a cluster at the Nth injury claim in the window, a rate at the multiple of the
 * baseline once enough claims exist, and any severe incident on its own. `other` hazards never
 * cluster: a heap of unrelated complaints is not a hazard.
 */
export function alertTriggers(f: ProductHazardFacts, rules: Policy['safety']): AlertTrigger[] {
  const triggers: AlertTrigger[] = [];
  const severeAt = SEVERITIES.indexOf(rules.severeIncident) + 1;
  if (f.newClaimSeverity >= severeAt) {
    triggers.push({
      rule: 'severe_incident',
      reason: `a claim reports ${SEVERITIES[f.newClaimSeverity - 1]}`,
      measure: { severity: f.newClaimSeverity },
    });
  }
  if (f.hazard === 'other') return triggers;
  if (f.injuryClaimsInWindow >= rules.clusterClaims) {
    triggers.push({
      rule: 'injury_cluster',
      reason: `${f.injuryClaimsInWindow} personal-injury claims of ${f.hazard} within ${rules.clusterWindowDays} days`,
      measure: {
        claims: f.injuryClaimsInWindow,
        threshold: rules.clusterClaims,
        windowDays: rules.clusterWindowDays,
      },
    });
  }
  const rate = per10k(f.claimsInRateWindow, f.unitsSold);
  if (
    rate !== null &&
    f.categoryBaselinePer10k !== null &&
    f.claimsInRateWindow >= rules.rateMinClaims &&
    rate >= rules.rateMultiple * f.categoryBaselinePer10k
  ) {
    triggers.push({
      rule: 'rate_above_baseline',
      reason: `${rate.toFixed(1)} claims per 10,000 units against a category baseline of ${f.categoryBaselinePer10k.toFixed(1)}`,
      measure: {
        ratePer10k: rate,
        baselinePer10k: f.categoryBaselinePer10k,
        multiple: f.categoryBaselinePer10k > 0 ? rate / f.categoryBaselinePer10k : null,
        claims: f.claimsInRateWindow,
        units: f.unitsSold,
      },
    });
  }
  return triggers;
}
