import { putMarketplace } from '../marketplace/put-marketplace.ts';
import { currentPolicyVersion, findMarketplace } from '../marketplace/store.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { Clock } from '../platform/clock.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { unprocessable } from '../platform/errors.ts';
import {
  type Evaluation,
  evaluate,
  type FittedModel,
  fitLogistic,
  isHeldBack,
  labelledExamples,
} from './fit.ts';
import { DEFAULT_SIGNAL_WEIGHTS } from './signals.ts';

/** Fewer labels than this and a fitted weight says more about chance than about the screen. */
export const MIN_TRAINING_LABELS = 20;

export interface FitReport {
  marketplaceId: string;
  labelled: number;
  trainedOn: number;
  heldBack: number;
  threshold: number;
  /** The weights in force, scored on the held-back fifth. */
  before: Evaluation;
  /** The fitted weights, scored on the same held-back fifth. */
  after: Evaluation;
  model: FittedModel;
  /** The policy version written with the fitted weights, or null on a dry run. */
  writtenPolicyVersion: number | null;
}

/**
 * `redress screening fit` and `POST /v1/screening/fit`: fits the signal weights to the labels
 * (fit.ts) on four fifths, scores the weights in force and the fitted ones on the fifth held
 * back, and, when asked, writes the fitted ones as a new policy version (claims already filed
 * keep the version they were filed under).
 */
export async function fitScreeningWeights(
  db: Queryable,
  clock: Clock,
  actor: Principal,
  options: { marketplaceId: string; apply: boolean },
): Promise<FitReport> {
  const marketplace = await findMarketplace(db, options.marketplaceId);
  const version = await currentPolicyVersion(db, options.marketplaceId);
  if (!marketplace || !version)
    throw unprocessable('body.marketplaceId', `marketplace ${options.marketplaceId} does not exist`);
  const examples = await labelledExamples(db, options.marketplaceId);
  const train = examples.filter((e) => !isHeldBack(e.claimId));
  const test = examples.filter((e) => isHeldBack(e.claimId));
  if (train.length < MIN_TRAINING_LABELS)
    throw unprocessable(
      'body.marketplaceId',
      `only ${train.length} labelled claims to learn from; at least ${MIN_TRAINING_LABELS} are needed`,
    );
  const model = fitLogistic(train);
  const threshold = version.policy.fraud.reviewThreshold;
  const before = evaluate(
    {
      bias: version.policy.fraud.bias,
      weights: { ...DEFAULT_SIGNAL_WEIGHTS, ...version.policy.fraud.weights },
    },
    test,
    threshold,
  );
  const after = evaluate(model, test, threshold);
  let writtenPolicyVersion: number | null = null;
  if (options.apply) {
    await putMarketplace(db, clock, actor, marketplace.id, {
      name: marketplace.name,
      currency: marketplace.currency,
      region: marketplace.region,
      holidayCalendar: marketplace.holiday_calendar,
      timeZone: marketplace.time_zone,
      policy: {
        ...version.policy,
        fraud: { ...version.policy.fraud, bias: model.bias, weights: model.weights },
      },
    });
    writtenPolicyVersion = (await currentPolicyVersion(db, options.marketplaceId))?.version ?? null;
  }
  return {
    marketplaceId: marketplace.id,
    labelled: examples.length,
    trainedOn: train.length,
    heldBack: test.length,
    threshold,
    before,
    after,
    model,
    writtenPolicyVersion,
  };
}
