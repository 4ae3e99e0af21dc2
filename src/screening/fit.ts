import { createHash } from 'node:crypto';
import type { RiskAssessment } from '../claims/risk.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { DEFAULT_SIGNAL_WEIGHTS } from './signals.ts';

/**
 * Ground truth for fitting: what experts and agents found, plus claims paid without any
 * dispute as honest. Without the paid ones only flagged claims would be labelled, and a model
 * fitted on them would learn that everything is fraud.
 */
export async function labelledExamples(db: Queryable, marketplaceId: string): Promise<LabelledExample[]> {
  const labelled = await db
    .selectFrom('screening_labels')
    .innerJoin('claims', 'claims.id', 'screening_labels.claim_id')
    .select(['screening_labels.claim_id', 'screening_labels.signals', 'screening_labels.fraudulent'])
    .where('claims.marketplace_id', '=', marketplaceId)
    .execute();
  const seen = new Set(labelled.map((l) => l.claim_id));
  const paid = await db
    .selectFrom('claims')
    .select(['id', 'risk'])
    .where('marketplace_id', '=', marketplaceId)
    .where('status', 'in', ['paid', 'closed'])
    .where('seller_response', 'is', null)
    .where('risk', 'is not', null)
    .execute();
  return [
    ...labelled.map((l) => ({ claimId: l.claim_id, signals: l.signals, fraudulent: l.fraudulent })),
    ...paid
      .filter((c) => !seen.has(c.id))
      .map((c) => ({
        claimId: c.id,
        signals: (c.risk as RiskAssessment).signals.map((s) => s.code),
        fraudulent: false,
      })),
  ];
}

export interface LabelledExample {
  claimId: string;
  signals: string[];
  fraudulent: boolean;
}

export interface FittedModel {
  bias: number;
  weights: Record<string, number>;
}

/**
 * Plain logistic regression by gradient descent with a little L2, one weight per signal code,
 * so the fitted model stays as explainable as the hand-set one. Hand-written because the npm
 * packages (ml-logistic-regression) fit one-vs-rest classifiers whose weights are not exposed
 * per feature, and a policy must name each weight.
 */
export function fitLogistic(
  examples: LabelledExample[],
  options: { steps?: number; rate?: number; l2?: number } = {},
): FittedModel {
  const codes = [
    ...new Set([...Object.keys(DEFAULT_SIGNAL_WEIGHTS), ...examples.flatMap((e) => e.signals)]),
  ].sort();
  const w = new Map(codes.map((c) => [c, 0]));
  let bias = 0;
  const steps = options.steps ?? 2000;
  const rate = options.rate ?? 0.5;
  const l2 = options.l2 ?? 0.001;
  for (let step = 0; step < steps; step++) {
    let gradBias = 0;
    const grad = new Map(codes.map((c) => [c, 0]));
    for (const e of examples) {
      const z = bias + e.signals.reduce((sum, c) => sum + (w.get(c) ?? 0), 0);
      const error = 1 / (1 + Math.exp(-z)) - (e.fraudulent ? 1 : 0);
      gradBias += error;
      for (const c of e.signals) grad.set(c, (grad.get(c) ?? 0) + error);
    }
    const n = Math.max(1, examples.length);
    bias -= (rate * gradBias) / n;
    for (const c of codes) w.set(c, (w.get(c) ?? 0) - rate * ((grad.get(c) ?? 0) / n + l2 * (w.get(c) ?? 0)));
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { bias: round(bias), weights: Object.fromEntries([...w].map(([c, v]) => [c, round(v)])) };
}

export function predict(model: FittedModel, signals: string[]): number {
  const z = model.bias + signals.reduce((sum, c) => sum + (model.weights[c] ?? 0), 0);
  return 1 / (1 + Math.exp(-z));
}

export interface Evaluation {
  examples: number;
  precision: number | null;
  recall: number | null;
  falsePositiveRate: number | null;
}

export function evaluate(model: FittedModel, examples: LabelledExample[], threshold: number): Evaluation {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const e of examples) {
    const flagged = predict(model, e.signals) >= threshold;
    if (flagged && e.fraudulent) tp++;
    else if (flagged) fp++;
    else if (e.fraudulent) fn++;
    else tn++;
  }
  const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : null);
  return {
    examples: examples.length,
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    falsePositiveRate: ratio(fp, fp + tn),
  };
}

/** A stable split: the same claim is always in the same part, whatever order labels come in. */
export function isHeldBack(claimId: string, share = 0.2): boolean {
  return createHash('sha256').update(claimId).digest().readUInt32BE(0) % 1000 < share * 1000;
}
