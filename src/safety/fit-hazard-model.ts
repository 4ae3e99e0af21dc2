import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../platform/context.ts';
import { json, type Queryable } from '../platform/db/sql.ts';
import { newId } from '../platform/ids.ts';
import { ERASED } from '../privacy/sealing.ts';
import {
  type ClassScore,
  evaluateHazardModel,
  type HazardModel,
  type LabelledNarrative,
  trainHazardModel,
} from './hazard-model.ts';
import { classifyClaim, type FittedHazardModel } from './hazards.ts';
import { HAZARDS, type Hazard } from './lexicon.ts';

/**
 * `redress safety fit`: the hazards people coded become labelled data, a naive Bayes model is
 * fitted on most of them and scored per class on the rest, and the fitted model is stored as a
 * new version that the classifier asks when its rules are unsure (hazards.ts). The rules stay
 * primary: the model breaks ties, it never overrules a confident verdict.
 */
export interface HazardLabel {
  /** Stable key for the held-back split: the claim id, or the text's hash for a file's labels. */
  key: string;
  text: string;
  hazard: Hazard;
  type: 'property_damage' | 'personal_injury';
  category: string;
  source: 'coded' | 'file';
}

export const ZHazardLabelLine = z.object({
  description: z.string().trim().min(1).max(20_000),
  hazard: z.enum(HAZARDS),
  type: z.enum(['property_damage', 'personal_injury']).default('personal_injury'),
  category: z.string().max(200).default(''),
});

/** A labelled file: NDJSON, one `{description, hazard, type?, category?}` a line; bad lines reported. */
export function parseHazardLabels(text: string): {
  labels: HazardLabel[];
  errors: { line: number; field: string; rule: string }[];
} {
  const labels: HazardLabel[] = [];
  const errors: { line: number; field: string; rule: string }[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      errors.push({ line: i + 1, field: '(line)', rule: 'not valid JSON' });
      return;
    }
    const parsed = ZHazardLabelLine.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      errors.push({
        line: i + 1,
        field: issue?.path.join('.') || '(line)',
        rule: issue?.message ?? 'invalid',
      });
      return;
    }
    const d = parsed.data;
    labels.push({
      key: `file:${createHash('sha256').update(d.description).digest('hex')}`,
      text: d.description,
      hazard: d.hazard,
      type: d.type,
      category: d.category,
      source: 'file',
    });
  });
  return { labels, errors };
}

/** Claims a person coded (`POST /v1/safety/hazard-coding/{claimId}`), with their narratives; erased ones left out. */
export async function codedHazardLabels(db: Queryable): Promise<HazardLabel[]> {
  const rows = await db
    .selectFrom('claim_hazards')
    .innerJoin('claims', 'claims.id', 'claim_hazards.claim_id')
    .select([
      'claim_hazards.claim_id',
      'claim_hazards.hazard',
      'claim_hazards.category',
      'claims.type',
      'claims.description',
    ])
    .where('claim_hazards.review_status', '=', 'coded')
    .where('claims.description', '!=', ERASED)
    .orderBy('claim_hazards.claim_id')
    .execute();
  return rows.map((r) => ({
    key: r.claim_id,
    text: r.description,
    hazard: r.hazard as Hazard,
    type: r.type as HazardLabel['type'],
    category: r.category,
    source: 'coded',
  }));
}

/** A stable split: the same label is always in the same part, whatever order labels come in. */
export function isHeldBack(key: string, share = 0.2): boolean {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % 1000 < share * 1000;
}

export interface HazardFitReport {
  fitted: boolean;
  /** Why nothing was fitted, in words for the person who ran the command. */
  refusal: string | null;
  labels: { coded: number; file: number; byHazard: Record<string, number> };
  trainedOn: number;
  heldBack: number;
  /** The model alone, per class, on the held-back part. */
  perClass: ClassScore[];
  /** Hazard accuracy on the held-back part: the rules alone, and the rules asking the model when unsure. */
  heldBackAccuracy: { rulesAlone: number | null; rulesWithModel: number | null };
  /** Held-back claims whose verdict the model changed or settled. */
  verdictsChanged: number;
  version: number | null;
}

const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);

/** Rules alone against rules with the model, on held-back labels. */
function compareOnHeldBack(model: FittedHazardModel, heldBack: HazardLabel[]) {
  let alone = 0;
  let withModel = 0;
  let changed = 0;
  for (const label of heldBack) {
    const claim = { type: label.type, description: label.text, damageKinds: [], category: label.category };
    const before = classifyClaim(claim);
    const after = classifyClaim(claim, {}, model);
    if (before.hazard === label.hazard) alone++;
    if (after.hazard === label.hazard) withModel++;
    if (after.model?.applied) changed++;
  }
  return {
    heldBackAccuracy: {
      rulesAlone: ratio(alone, heldBack.length),
      rulesWithModel: ratio(withModel, heldBack.length),
    },
    verdictsChanged: changed,
  };
}

export async function fitHazardModel(
  ctx: AppContext,
  options: { fileLabels?: HazardLabel[]; minLabels?: number; dryRun?: boolean; fittedBy: string },
): Promise<HazardFitReport> {
  const coded = await codedHazardLabels(ctx.db);
  const file = options.fileLabels ?? [];
  // A claim coded in the queue and also in a file counts once: the person's coding in the database wins.
  const seen = new Set(coded.map((l) => l.text));
  const labels = [...coded, ...file.filter((l) => !seen.has(l.text))];
  const byHazard: Record<string, number> = {};
  for (const l of labels) byHazard[l.hazard] = (byHazard[l.hazard] ?? 0) + 1;
  const train = labels.filter((l) => !isHeldBack(l.key));
  const test = labels.filter((l) => isHeldBack(l.key));
  const report: HazardFitReport = {
    fitted: false,
    refusal: null,
    labels: { coded: coded.length, file: labels.length - coded.length, byHazard },
    trainedOn: train.length,
    heldBack: test.length,
    perClass: [],
    heldBackAccuracy: { rulesAlone: null, rulesWithModel: null },
    verdictsChanged: 0,
    version: null,
  };
  const minLabels = options.minLabels ?? 20;
  if (labels.length === 0) {
    return {
      ...report,
      refusal:
        'no labelled hazards to learn from: code claims in the hazard-coding queue (POST /v1/safety/hazard-coding/{claimId}) or pass --labels FILE',
    };
  }
  if (labels.length < minLabels) {
    return { ...report, refusal: `only ${labels.length} labelled hazards; at least ${minLabels} are needed` };
  }
  if (new Set(train.map((l) => l.hazard)).size < 2) {
    return {
      ...report,
      refusal: 'the labels name fewer than two hazards: a model of one class cannot break a tie',
    };
  }
  const asNarratives = (ls: HazardLabel[]): LabelledNarrative[] =>
    ls.map((l) => ({ text: l.text, hazard: l.hazard }));
  const model: HazardModel = trainHazardModel(asNarratives(train));
  const latest = await ctx.db
    .selectFrom('hazard_models')
    .select((eb) => eb.fn.max('version').as('version'))
    .executeTakeFirst();
  const version = Number(latest?.version ?? 0) + 1;
  Object.assign(report, {
    fitted: !options.dryRun,
    perClass: evaluateHazardModel(model, asNarratives(test)),
    ...compareOnHeldBack({ version, model }, test),
  });
  if (options.dryRun) return report;
  await ctx.db
    .insertInto('hazard_models')
    .values({
      id: newId('hazardModel', ctx.clock),
      version,
      model: json(model),
      evaluation: json({
        labels: report.labels,
        perClass: report.perClass,
        heldBackAccuracy: report.heldBackAccuracy,
        verdictsChanged: report.verdictsChanged,
      }),
      labels: labels.length,
      trained_on: train.length,
      held_back: test.length,
      fitted_by: options.fittedBy,
      created_at: ctx.clock.now(),
    })
    .execute();
  return { ...report, version };
}

/** Parsed models by row id: a stored version never changes, so each is read once per process. */
const loaded = new Map<string, FittedHazardModel>();

/** The newest fitted hazard model, or null before the first `redress safety fit`. */
export async function latestHazardModel(db: Queryable): Promise<FittedHazardModel | null> {
  const newest = await db
    .selectFrom('hazard_models')
    .select(['id', 'version'])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!newest) return null;
  const cached = loaded.get(newest.id);
  if (cached) return cached;
  const row = await db
    .selectFrom('hazard_models')
    .select('model')
    .where('id', '=', newest.id)
    .executeTakeFirstOrThrow();
  const fitted = { version: newest.version, model: row.model as unknown as HazardModel };
  if (loaded.size > 8) loaded.clear();
  loaded.set(newest.id, fitted);
  return fitted;
}
