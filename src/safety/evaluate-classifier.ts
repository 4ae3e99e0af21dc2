import { classifyClaim } from './hazards.ts';
import type { LabelledClaim } from './labelled-claims.ts';
import { HAZARDS, type Hazard } from './lexicon.ts';

export interface ClassifierReport {
  claims: number;
  hazardAccuracy: number;
  severityAccuracy: number;
  perHazard: Record<Hazard, { claims: number; correct: number; accuracy: number | null }>;
  misses: { description: string; expected: string; got: string }[];
}

/** Accuracy of hazard and severity on labelled claims, overall and per hazard (recall per label). */
export function evaluateClassifier(claims: readonly LabelledClaim[]): ClassifierReport {
  const perHazard = Object.fromEntries(
    HAZARDS.map((h) => [h, { claims: 0, correct: 0, accuracy: null as number | null }]),
  ) as ClassifierReport['perHazard'];
  let hazardCorrect = 0;
  let severityCorrect = 0;
  const misses: ClassifierReport['misses'] = [];
  for (const c of claims) {
    const verdict = classifyClaim({
      type: c.type,
      description: c.description,
      damageKinds: c.damageKinds ?? [],
      category: c.category,
    });
    const bucket = perHazard[c.hazard];
    bucket.claims++;
    if (verdict.hazard === c.hazard) {
      bucket.correct++;
      hazardCorrect++;
    } else {
      misses.push({ description: c.description, expected: c.hazard, got: verdict.hazard });
    }
    if (verdict.severityLabel === c.severity) severityCorrect++;
    else misses.push({ description: c.description, expected: c.severity, got: verdict.severityLabel });
  }
  for (const bucket of Object.values(perHazard)) {
    bucket.accuracy = bucket.claims === 0 ? null : bucket.correct / bucket.claims;
  }
  return {
    claims: claims.length,
    hazardAccuracy: hazardCorrect / claims.length,
    severityAccuracy: severityCorrect / claims.length,
    perHazard,
    misses,
  };
}
