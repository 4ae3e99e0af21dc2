import { classifyClaim, type FittedHazardModel } from './hazards.ts';
import { HAZARDS, type Hazard, SEVERITIES, type Severity } from './lexicon.ts';

/** A narrative labelled by a person with the hazard and the severity that actually happened. */
export interface LabelledNarrative {
  type: 'property_damage' | 'personal_injury';
  category: string;
  description: string;
  damageKinds?: string[];
  /** Null when only the severity is known (the NEISS records). */
  hazard: Hazard | null;
  severity: Severity;
}

export interface ClassRates {
  labelled: number;
  predicted: number;
  correct: number;
  precision: number | null;
  recall: number | null;
}

export interface ClassifierReport {
  claims: number;
  hazardAccuracy: number | null;
  severityAccuracy: number;
  perHazard: Record<Hazard, ClassRates>;
  /** confusion[labelled][predicted] = claims. */
  confusion: Record<Hazard, Record<Hazard, number>>;
  /** Shares of the claims predicted `other`. */
  otherShare: number;
  /** Deaths and hospital stays (labelled). */
  severeLabelled: number;
  /** Claims rated hospitalisation or death. */
  severeRated: number;
  /** Claims rated severe-candidate (and not severe). */
  candidates: number;
  /** Deaths and hospital stays (labelled) rated hospitalisation or death. */
  severeRecall: number | null;
  /** Deaths and hospital stays rated severe or severe-candidate (a likely stay sent to a person). */
  severeOrCandidate: number | null;
  /** Deaths and hospital stays rated severe or sent to a person for any reason. */
  severeCaught: number | null;
  /** Deaths and hospital stays whose narrative states no death, stay or surgery, imagines none, and names no injury that usually means one: what the text cannot tell. */
  severeUnstated: number;
  /** Severe-candidates that were severe in truth. */
  candidatePrecision: number | null;
  /** Claims rated severe-candidate, or naming a death or stay only as imagined: sent to a person for their severity. */
  severityReviewShare: number;
  /** Severe ratings (hospitalisation or death) that were severe in truth. */
  severePrecision: number | null;
  /** Death ratings where no death happened. */
  falseDeaths: number;
  /** Claims the classifier routes to a person. */
  reviewShare: number;
  misses: { description: string; expected: string; got: string }[];
}

const SEVERE = new Set<Severity>(['hospitalisation', 'death']);
const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

/**
 * Precision and recall per hazard, a confusion table, and the severity figures that matter for
 * alerts (how many real deaths and admissions are rated severe, how many severe ratings are real,
 * whether a death is ever invented) on labelled narratives.
 */
export function evaluateClassifier(
  items: readonly LabelledNarrative[],
  fitted: FittedHazardModel | null = null,
): ClassifierReport {
  const perHazard = Object.fromEntries(
    HAZARDS.map((h) => [h, { labelled: 0, predicted: 0, correct: 0, precision: null, recall: null }]),
  ) as Record<Hazard, ClassRates>;
  const confusion = Object.fromEntries(
    HAZARDS.map((h) => [h, Object.fromEntries(HAZARDS.map((p) => [p, 0]))]),
  ) as ClassifierReport['confusion'];
  let hazardLabelled = 0;
  let hazardCorrect = 0;
  let severityCorrect = 0;
  let predictedOther = 0;
  let severeLabelled = 0;
  let severeFound = 0;
  let severeCaught = 0;
  let severeOrCandidate = 0;
  let severeUnstated = 0;
  let candidates = 0;
  let candidatesReal = 0;
  let severityReviewed = 0;
  let severeRated = 0;
  let severeRatedReal = 0;
  let falseDeaths = 0;
  let reviewed = 0;
  const misses: ClassifierReport['misses'] = [];
  for (const item of items) {
    const verdict = classifyClaim(
      {
        type: item.type,
        description: item.description,
        damageKinds: item.damageKinds ?? [],
        category: item.category,
      },
      {},
      fitted,
    );
    if (verdict.review.length > 0) reviewed++;
    if (verdict.hazard === 'other') predictedOther++;
    if (item.hazard) {
      hazardLabelled++;
      perHazard[item.hazard].labelled++;
      perHazard[verdict.hazard].predicted++;
      confusion[item.hazard][verdict.hazard]++;
      if (verdict.hazard === item.hazard) {
        hazardCorrect++;
        perHazard[item.hazard].correct++;
      } else misses.push({ description: item.description, expected: item.hazard, got: verdict.hazard });
    }
    if (verdict.severityLabel === item.severity) severityCorrect++;
    else misses.push({ description: item.description, expected: item.severity, got: verdict.severityLabel });
    const trulySevere = SEVERE.has(item.severity);
    const ratedSevere = SEVERE.has(verdict.severityLabel);
    if (trulySevere) severeLabelled++;
    if (trulySevere && ratedSevere) severeFound++;
    if (trulySevere && (ratedSevere || verdict.review.length > 0)) severeCaught++;
    const candidate = !ratedSevere && verdict.severeCandidate;
    if (trulySevere && (ratedSevere || candidate)) severeOrCandidate++;
    if (trulySevere && !ratedSevere && !candidate && verdict.terms.unasserted.length === 0) severeUnstated++;
    if (candidate) candidates++;
    if (candidate && trulySevere) candidatesReal++;
    if (candidate || verdict.review.includes('unasserted_severe_mention')) severityReviewed++;
    if (ratedSevere) severeRated++;
    if (ratedSevere && trulySevere) severeRatedReal++;
    if (verdict.severityLabel === 'death' && item.severity !== 'death') falseDeaths++;
  }
  for (const rates of Object.values(perHazard)) {
    rates.precision = ratio(rates.correct, rates.predicted);
    rates.recall = ratio(rates.correct, rates.labelled);
  }
  return {
    claims: items.length,
    hazardAccuracy: ratio(hazardCorrect, hazardLabelled),
    severityAccuracy: severityCorrect / items.length,
    perHazard,
    confusion,
    otherShare: predictedOther / items.length,
    severeLabelled,
    severeRated,
    candidates,
    severeRecall: ratio(severeFound, severeLabelled),
    severeOrCandidate: ratio(severeOrCandidate, severeLabelled),
    severeCaught: ratio(severeCaught, severeLabelled),
    severeUnstated,
    candidatePrecision: ratio(candidatesReal, candidates),
    severityReviewShare: severityReviewed / items.length,
    severePrecision: ratio(severeRatedReal, severeRated),
    falseDeaths,
    reviewShare: reviewed / items.length,
    misses,
  };
}

export const SEVERITY_ORDER = SEVERITIES;
