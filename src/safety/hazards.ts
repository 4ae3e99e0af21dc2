import { statedAge } from './clinical-shorthand.ts';
import { type HazardModel, predictHazard } from './hazard-model.ts';
import { readNarrative } from './language.ts';
import {
  CATEGORY_PRIORS,
  COUNTERFEIT_TERMS,
  type Cue,
  DEATH_CUES,
  ELDERLY_AGE,
  HAZARD_CUES,
  HAZARDS,
  type Hazard,
  HOSPITAL_CUES,
  LIKELY_SEVERE_CUES,
  LIKELY_SEVERE_ELDERLY_CUES,
  MIN_HAZARD_SCORE,
  SEVERITIES,
  type Severity,
  TREATMENT_CUES,
} from './lexicon.ts';
import { findMentions, idiomPositions, type Mention } from './mentions.ts';

/**
 * Classifies a claim into the hazard taxonomy with a severity, and flags a suspected
 * counterfeit, from its type, narrative, damages and product category. The narrative is read as
 * language (sentences, lemmas, negation, "could have", figures of speech, misspellings), not as
 * a bag of words. Explainable: every verdict carries the phrases that decided it. A fitted
 * model only ever adds to these rules (see fit-hazard-model.ts): it is asked only when the rules
 * are unsure, may only choose among hazards the rules found a phrase for, and its deciding
 * phrases are listed with the verdict, so a reviewer, or a regulator, can see why a claim counted
 * as a fire.
 */
export interface ClaimText {
  type: 'property_damage' | 'personal_injury';
  description: string;
  damageKinds: string[];
  category: string;
}

export const REVIEW_REASONS = [
  'uncertain_hazard',
  'unasserted_severe_mention',
  'likely_severe_injury',
] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

export interface HazardVerdict {
  hazard: Hazard;
  /** Other hazards the narrative also points to clearly. */
  secondary: Hazard[];
  /** 0–1: how much of the evidence points to the primary hazard, and how strong it is. */
  confidence: number;
  /** 1 (property damage) to 5 (death), from ASSERTED facts only. */
  severity: number;
  severityLabel: Severity;
  /**
   * A hospital stay is likely though the narrative does not state one (a hip fracture at 80, a
   * bleed on the brain): the severity stays what is stated, and a person confirms. A guess from
   * the injury type, never an alert by itself.
   */
  severeCandidate: boolean;
  counterfeit: boolean;
  /** Why a person should code this claim; empty when the machine's verdict can stand. */
  review: ReviewReason[];
  terms: {
    hazard: string[];
    severity: string[];
    counterfeit: string[];
    /** Severe phrases the narrative negates or only imagines ("could have died (hypothetical)"). */
    unasserted: string[];
    /** Injuries that usually mean a hospital stay the narrative does not state (a person confirms). */
    likelySevere: string[];
    /** Misspellings read as the word meant ("swalled → swallowed"). */
    corrected: string[];
    /** The lemmas and phrases that most favoured the fitted model's hazard, when it was asked. */
    model: string[];
  };
  scores: Partial<Record<Hazard, number>>;
  /** What the fitted model said when the rules were unsure; null when it was not asked. */
  model: {
    version: number;
    hazard: Hazard;
    probability: number;
    /** Whether its guess became the verdict (or raised the verdict's confidence). */
    applied: boolean;
  } | null;
}

/** A hazard model fitted on people's coding (`redress safety fit`), as stored. */
export interface FittedHazardModel {
  version: number;
  model: HazardModel;
}

/** Below this confidence the hazard goes to a person. */
export const REVIEW_CONFIDENCE = 0.55;
/**
 * How much a mention counts towards a hazard. A near miss ("almost choked") names the hazard
 * nearly as well as a harm does, and even a denial ("no one was cut") says what the story is
 * about; neither counts towards severity.
 */
const ASSERTION_WEIGHT = { asserted: 1, hypothetical: 0.8, negated: 0.25 } as const;
/** The same cue said again adds, up to this multiple of its weight. */
const REPEAT_CAP = 1.5;
/** Evidence of this much makes a lone hazard fully confident. */
const STRONG_EVIDENCE = 3;
/** The fitted model must be at least this sure of a hazard to break a tie the rules left open. */
export const MODEL_MIN_PROBABILITY = 0.6;

function score(mentions: Mention[]): number {
  const byCue = new Map<Cue, number>();
  for (const m of mentions)
    byCue.set(m.cue, (byCue.get(m.cue) ?? 0) + m.cue.w * ASSERTION_WEIGHT[m.assertion]);
  let total = 0;
  for (const [cue, sum] of byCue) total += Math.min(sum, cue.w * REPEAT_CAP);
  return total;
}

const phrasesOf = (mentions: Mention[]) => [
  ...new Set(mentions.map((m) => (m.assertion === 'asserted' ? m.phrase : `${m.phrase} (${m.assertion})`))),
];

/** Lower-case words separated by single spaces, padded, so a phrase matches on word boundaries. */
function normalise(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^a-z0-9&-]+/g, ' ')
    .trim()} `;
}

function counterfeitTermsIn(text: string): string[] {
  const padded = normalise(text);
  return COUNTERFEIT_TERMS.filter((term) => {
    const body = term.replace(/\*$/, '');
    return term.endsWith('*') ? padded.includes(` ${body}`) : padded.includes(` ${body} `);
  });
}

/** A marketplace's extra terms (`safety.extraTerms`) as cues of the usual weight. */
function extraCues(terms: string[] | undefined): Cue[] {
  return (terms ?? []).map((t) => ({ p: t.toLowerCase(), w: 2 }));
}

export function classifyClaim(
  claim: ClaimText,
  extraTerms: Partial<Record<Hazard, string[]>> = {},
  fitted: FittedHazardModel | null = null,
): HazardVerdict {
  const read = readNarrative(claim.description);
  const idioms = idiomPositions(read);
  const priors = CATEGORY_PRIORS[claim.category] ?? {};
  const scores: Partial<Record<Hazard, number>> = {};
  const mentionsBy: Partial<Record<Hazard, Mention[]>> = {};
  for (const hazard of HAZARDS) {
    if (hazard === 'other') continue;
    const mentions = findMentions(read, [...HAZARD_CUES[hazard], ...extraCues(extraTerms[hazard])], idioms);
    mentionsBy[hazard] = mentions;
    const evidence = score(mentions);
    // A prior tips a close call; it never makes a hazard out of nothing.
    scores[hazard] = evidence > 0 ? evidence + (priors[hazard] ?? 0) : 0;
  }
  const ranked = HAZARDS.filter((h) => h !== 'other').sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
  const top = ranked[0] as Hazard;
  const best = scores[top] ?? 0;
  const total = ranked.reduce((sum, h) => sum + (scores[h] ?? 0), 0);
  /** How sure the rules alone are that the narrative is about this hazard. */
  const rulesConfidence = (h: Hazard) => {
    const s = scores[h] ?? 0;
    return total === 0 ? 0 : (s / total) * Math.min(1, s / STRONG_EVIDENCE);
  };
  let hazard: Hazard = best >= MIN_HAZARD_SCORE ? top : 'other';
  let confidence =
    hazard === 'other' ? (best > 0 ? Math.max(0, 1 - best / MIN_HAZARD_SCORE) : 1) : rulesConfidence(hazard);

  // The rules are unsure: ask the model fitted on people's coding. It breaks the tie only among
  // the rules' contenders (a hazard with at least half the top score), so every verdict still
  // names a phrase in the text and the model never makes a hazard out of a passing word.
  let model: HazardVerdict['model'] = null;
  let modelTerms: string[] = [];
  if (fitted && confidence < REVIEW_CONFIDENCE) {
    const guess = predictHazard(fitted.model, claim.description);
    if (guess) {
      const candidate = guess.hazard as Hazard;
      const applied =
        candidate !== 'other' &&
        (scores[candidate] ?? 0) > 0 &&
        (scores[candidate] ?? 0) >= best / 2 &&
        guess.probability >= MODEL_MIN_PROBABILITY;
      model = { version: fitted.version, hazard: candidate, probability: round(guess.probability), applied };
      modelTerms = guess.because;
      if (applied) {
        hazard = candidate;
        // Half the rules' own confidence in the hazard, half the model's: a model that is sure
        // settles a close call, but cannot on its own make a weak cue certain.
        confidence = (rulesConfidence(candidate) + guess.probability) / 2;
      }
    }
  }
  const secondary =
    hazard === 'other'
      ? []
      : ranked.filter((h) => h !== hazard && (scores[h] ?? 0) >= Math.max(MIN_HAZARD_SCORE, best / 2));

  const severity = severityOf(claim, read, idioms);
  const counterfeit = counterfeitTermsIn(claim.description);
  const review: ReviewReason[] = [];
  if (confidence < REVIEW_CONFIDENCE) review.push('uncertain_hazard');
  // A denied death ("no one died") is a statement; an imagined one ("could have died") is asked.
  if (severity.unasserted.some((t) => t.endsWith('(hypothetical)'))) review.push('unasserted_severe_mention');
  if (severity.likelySevere.length > 0) review.push('likely_severe_injury');
  return {
    hazard,
    secondary,
    confidence: round(confidence),
    severity: severityRank(severity.level),
    severityLabel: severity.level,
    severeCandidate: severity.likelySevere.length > 0,
    counterfeit: counterfeit.length > 0,
    review,
    terms: {
      hazard: hazard === 'other' ? [] : phrasesOf(mentionsBy[hazard] ?? []),
      severity: severity.terms,
      counterfeit,
      unasserted: severity.unasserted,
      likelySevere: severity.likelySevere,
      corrected: read.corrections,
      model: modelTerms,
    },
    scores,
    model,
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * Property damage is the lowest level; a personal injury is at least `injury`, raised by what
 * the narrative ASSERTS (a stated death, a hospital stay or surgery, a doctor) or by medical
 * bills among its damages. A property claim whose narrative states a death or a hospital stay is
 * lifted too: the claim type is what the claimant chose, the harm is what happened. A death or
 * admission that is negated or only imagined ("could have died") raises nothing; it is listed
 * in `unasserted` so that a person confirms it.
 */
function severityOf(
  claim: ClaimText,
  read: ReturnType<typeof readNarrative>,
  idioms: Set<number>[],
): { level: Severity; terms: string[]; unasserted: string[]; likelySevere: string[] } {
  const unasserted: string[] = [];
  const likelySevere: string[] = [];
  for (const [level, cues] of [
    ['death', DEATH_CUES],
    ['hospitalisation', HOSPITAL_CUES],
  ] as const) {
    const mentions = findMentions(read, cues, idioms);
    const asserted = mentions.filter((m) => m.assertion === 'asserted');
    if (asserted.length > 0) return { level, terms: phrasesOf(asserted), unasserted, likelySevere };
    unasserted.push(...phrasesOf(mentions));
  }
  const stated = (cues: Cue[]) =>
    phrasesOf(findMentions(read, cues, idioms).filter((m) => m.assertion === 'asserted'));
  likelySevere.push(...stated(LIKELY_SEVERE_CUES));
  // Fragility fractures count only at the age they usually mean a stay; the age is in the reason.
  const age = statedAge(claim.description);
  if (age !== null && age >= ELDERLY_AGE)
    likelySevere.push(...stated(LIKELY_SEVERE_ELDERLY_CUES).map((p) => `${p} (age ${age})`));
  if (claim.type === 'property_damage')
    return { level: 'property_damage', terms: [], unasserted, likelySevere };
  const treated = findMentions(read, TREATMENT_CUES, idioms).filter((m) => m.assertion === 'asserted');
  if (treated.length > 0)
    return { level: 'medical_treatment', terms: phrasesOf(treated), unasserted, likelySevere };
  if (claim.damageKinds.includes('medical_bills'))
    return { level: 'medical_treatment', terms: ['(medical bills claimed)'], unasserted, likelySevere };
  return { level: 'injury', terms: [], unasserted, likelySevere };
}

export const severityRank = (label: Severity) => SEVERITIES.indexOf(label) + 1;
