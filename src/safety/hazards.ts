import {
  CATEGORY_PRIORS,
  COUNTERFEIT_TERMS,
  HAZARD_TERMS,
  HAZARDS,
  type Hazard,
  MIN_HAZARD_SCORE,
  SEVERITIES,
  SEVERITY_TERMS,
  type Severity,
  type WeightedTerms,
} from './lexicon.ts';

/**
 * Classifies a claim into the hazard taxonomy with a severity, and flags a suspected
 * counterfeit, from its type, narrative, damages and product category. Pure and explainable:
 * every verdict carries the words that decided it. We pass over a trained text model on
 * purpose: a reviewer (or a regulator) must be able to see why a claim counted as a fire.
 */
export interface ClaimText {
  type: 'property_damage' | 'personal_injury';
  description: string;
  damageKinds: string[];
  category: string;
}

export interface HazardVerdict {
  hazard: Hazard;
  /** 1 (property damage) to 5 (death). */
  severity: number;
  severityLabel: Severity;
  counterfeit: boolean;
  terms: { hazard: string[]; severity: string[]; counterfeit: string[] };
  scores: Partial<Record<Hazard, number>>;
}

/** Lower-case words separated by single spaces, padded, so a phrase matches on word boundaries. */
function normalise(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^a-z0-9&-]+/g, ' ')
    .trim()} `;
}

const patterns = new Map<string, RegExp>();

/** A term as a pattern on word boundaries; `*` stands for the rest of a word. */
function patternOf(term: string): RegExp {
  let pattern = patterns.get(term);
  if (!pattern) {
    const body = term
      .toLowerCase()
      .trim()
      .replace(/\s+/g, ' ')
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[a-z0-9&-]*');
    pattern = new RegExp(` ${body} `);
    patterns.set(term, pattern);
  }
  return pattern;
}

function matches(text: string, term: string): boolean {
  return patternOf(term).test(text);
}

function matched(text: string, terms: Iterable<string>): string[] {
  return [...terms].filter((t) => matches(text, t));
}

export function classifyClaim(
  claim: ClaimText,
  extraTerms: Partial<Record<Hazard, string[]>> = {},
): HazardVerdict {
  const text = normalise(claim.description);
  const priors = CATEGORY_PRIORS[claim.category] ?? {};
  const scores: Partial<Record<Hazard, number>> = {};
  const termsBy: Partial<Record<Hazard, string[]>> = {};
  for (const hazard of HAZARDS) {
    if (hazard === 'other') continue;
    const weighted: WeightedTerms = { ...HAZARD_TERMS[hazard] };
    for (const extra of extraTerms[hazard] ?? [])
      weighted[extra.toLowerCase()] = weighted[extra.toLowerCase()] ?? 2;
    const found = matched(text, Object.keys(weighted));
    termsBy[hazard] = found;
    scores[hazard] = found.reduce((sum, t) => sum + (weighted[t] ?? 0), 0) + (priors[hazard] ?? 0);
  }
  let best: Hazard = 'other';
  let bestScore = MIN_HAZARD_SCORE - Number.EPSILON;
  for (const hazard of HAZARDS) {
    const score = scores[hazard] ?? 0;
    if (score > bestScore) {
      best = hazard;
      bestScore = score;
    }
  }
  const severity = severityOf(claim, text);
  const counterfeitTerms = matched(text, COUNTERFEIT_TERMS);
  return {
    hazard: best,
    severity: SEVERITIES.indexOf(severity.level) + 1,
    severityLabel: severity.level,
    counterfeit: counterfeitTerms.length > 0,
    terms: {
      hazard: best === 'other' ? [] : (termsBy[best] ?? []),
      severity: severity.terms,
      counterfeit: counterfeitTerms,
    },
    scores,
  };
}

/**
 * Property damage is the lowest level; a personal injury is at least `injury`, raised by the
 * words of its narrative (a doctor, a hospital stay, a death) or by medical bills among its
 * damages. A property claim whose narrative reports a death or a hospital stay is lifted too:
 * the claim type is what the claimant chose, the harm is what happened.
 */
function severityOf(claim: ClaimText, text: string): { level: Severity; terms: string[] } {
  for (const level of ['death', 'hospitalisation'] as const) {
    const found = matched(text, SEVERITY_TERMS[level]);
    if (found.length > 0) return { level, terms: found };
  }
  if (claim.type === 'property_damage') return { level: 'property_damage', terms: [] };
  const treated = matched(text, SEVERITY_TERMS.medical_treatment);
  if (treated.length > 0) return { level: 'medical_treatment', terms: treated };
  if (claim.damageKinds.includes('medical_bills'))
    return { level: 'medical_treatment', terms: ['(medical bills claimed)'] };
  return { level: 'injury', terms: [] };
}

export const severityRank = (label: Severity) => SEVERITIES.indexOf(label) + 1;
