import { sql } from 'kysely';
import { lockClaim } from '../src/claims/store.ts';
import { ManualClock } from '../src/platform/clock.ts';
import type { AppContext } from '../src/platform/context.ts';
import { assessClaimSafety } from '../src/safety/assess-claim.ts';
import { type ClassifierReport, evaluateClassifier } from '../src/safety/evaluate-classifier.ts';
import { trainHazardModel } from '../src/safety/hazard-model.ts';
import { HAZARDS } from '../src/safety/lexicon.ts';
import { productSafetyRecord } from '../src/safety/safety-record.ts';
import { categoryTotals } from '../src/safety/store.ts';
import { asLabelled, TUNING_NARRATIVES } from './data/consumer-narratives.ts';
import { FROZEN_NARRATIVES } from './data/consumer-narratives-frozen.ts';
import { HELD_OUT_CLAIMS, LABELLED_CLAIMS } from './data/labelled-claims.ts';
import { loadNeiss, NEISS_FOLDER } from './data/neiss.ts';
import {
  benchContext,
  freshDatabase,
  percentiles,
  report,
  serverAvailable,
  setUpBenchMarketplace,
} from './support.ts';

const START = new Date('2026-03-02T15:00:00Z');
const CATEGORIES = [
  'kitchen_appliances',
  'heating',
  'electronics',
  'toys',
  'furniture',
  'lighting',
  'cosmetics',
  'baby_products',
  'tools',
  'detectors',
];
const PRODUCTS = 2_000;
const HAZARD_LIST = `array['fire_burn','electric_shock','carbon_monoxide','choking_ingestion','laceration','fall_tip_over','chemical_toxic','allergic_reaction','strangulation_entrapment','other']`;

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);

/** Per-hazard precision and recall, and the confusion table (rows: labelled; columns: predicted). */
function hazardRows(r: ClassifierReport): [string, string][] {
  const present = HAZARDS.filter((h) => r.perHazard[h].labelled > 0 || r.perHazard[h].predicted > 0);
  const short = (h: string) => h.slice(0, 6);
  return [
    ...present.map((h): [string, string] => {
      const c = r.perHazard[h];
      return [
        `  ${h}`,
        `precision ${pct(c.precision)}, recall ${pct(c.recall)} (${c.correct}/${c.labelled}, predicted ${c.predicted})`,
      ];
    }),
    ['confusion (rows labelled)', present.map((h) => short(h).padStart(7)).join('')],
    ...present
      .filter((h) => r.perHazard[h].labelled > 0)
      .map((h): [string, string] => [
        `  ${h}`,
        present.map((p) => String(r.confusion[h][p]).padStart(7)).join(''),
      ]),
  ];
}

function reportClassifier(name: string, r: ClassifierReport, withHazards: boolean): void {
  const { misses: _misses, ...figures } = r;
  report(`hazard-accuracy-${name}`, figures, [
    ['narratives', String(r.claims)],
    ['hazard correct', pct(r.hazardAccuracy)],
    ['predicted other', pct(r.otherShare)],
    ['severity exactly right', pct(r.severityAccuracy)],
    ['deaths + admissions', String(r.severeLabelled)],
    ['  rated severe (stated: alert allowed)', pct(r.severeRecall)],
    ['  rated severe or severe-candidate', pct(r.severeOrCandidate)],
    ['  rated severe or sent to a person', pct(r.severeCaught)],
    ['  narrative states no stay, surgery, death or severe injury', String(r.severeUnstated)],
    ['severe ratings that were real', `${pct(r.severePrecision)} (${r.severeRated} rated)`],
    ['severe-candidates that were real', `${pct(r.candidatePrecision)} (${r.candidates} candidates)`],
    ['death ratings without a death', String(r.falseDeaths)],
    ['routed to a person (triage)', pct(r.reviewShare)],
    ['  of which for severity', pct(r.severityReviewShare)],
    ...(withHazards ? hazardRows(r) : []),
  ]);
}

/**
 * Classifier quality on the FROZEN consumer narratives (never tuned on), the tuning narratives,
 * the project's older labelled claims, and the NEISS emergency-department records (severity from
 * their disposition; hazard only where the diagnosis names one).
 */
export async function hazardAccuracy(): Promise<void> {
  reportClassifier('frozen', evaluateClassifier(asLabelled(FROZEN_NARRATIVES)), true);
  reportClassifier('tuning', evaluateClassifier(asLabelled(TUNING_NARRATIVES)), true);
  // As if staff had coded the tuning narratives and run `redress safety fit`: the rules ask the
  // fitted model when unsure. Scored on the frozen set, which the model never saw.
  const tuning = asLabelled(TUNING_NARRATIVES).flatMap((n) =>
    n.hazard ? [{ text: n.description, hazard: n.hazard }] : [],
  );
  const fitted = { version: 1, model: trainHazardModel(tuning) };
  reportClassifier('frozen-with-model', evaluateClassifier(asLabelled(FROZEN_NARRATIVES), fitted), true);
  reportClassifier('older-labelled', evaluateClassifier([...LABELLED_CLAIMS, ...HELD_OUT_CLAIMS]), false);
  const neiss = loadNeiss();
  if (!neiss) {
    process.stdout.write(`hazard-accuracy-neiss skipped: no NEISS records at ${NEISS_FOLDER}\n`);
    return;
  }
  // Severity vocabulary was developed on the even case numbers; the odd ones are held out.
  const even = neiss.filter((n) => n.caseNumber % 2 === 0);
  const odd = neiss.filter((n) => n.caseNumber % 2 !== 0);
  reportClassifier('neiss-development-even', evaluateClassifier(even), true);
  reportClassifier('neiss-held-out-odd', evaluateClassifier(odd), true);
  reportClassifier('neiss', evaluateClassifier(neiss), true);
  reportClassifier('neiss-with-model', evaluateClassifier(neiss, fitted), true);
}

/** 1M claims with their hazards over a year, and three order lines per claim for the units sold. */
async function grow(ctx: AppContext, claims: number): Promise<void> {
  const batch = 100_000;
  for (let start = 0; start < claims; start += batch) {
    const end = Math.min(claims, start + batch) - 1;
    await sql`
      insert into customers (id, marketplace_id, name, email, created_at, updated_at)
      select 'bc' || i, 'bench', 'Customer ' || i, 'c' || i || '@bench.example', now(), now()
      from generate_series(${start}::int, ${end}::int) i`.execute(ctx.db);
    await sql`
      insert into orders (id, marketplace_id, customer_id, created_at, updated_at)
      select 'bo' || i || '-' || k, 'bench', 'bc' || i, now(), now()
      from generate_series(${start}::int, ${end}::int) i, generate_series(0, 2) k`.execute(ctx.db);
    // Product popularity is skewed (i*i), so some products sell far more than others.
    await sql`
      insert into order_lines (order_id, line_id, marketplace_id, product_id, seller_id, quantity, unit_price, currency, delivered_at)
      select 'bo' || i || '-' || k, '1', 'bench', 'bp' || ((i * 7 + k * 13) % ${PRODUCTS}), 'bs' || ((i * 7 + k * 13) % ${PRODUCTS} % 40),
        1 + (i + k) % 3, 2999, 'USD', ${START}::timestamptz - interval '60 days'
      from generate_series(${start}::int, ${end}::int) i, generate_series(0, 2) k`.execute(ctx.db);
    await sql`
      insert into claims (id, marketplace_id, order_id, line_id, customer_id, seller_id, product_id, type, incident_at,
        description, amount, currency, damages, status, policy_version_id, policy_version, filed_at, filed_by_role, updated_at)
      select 'clm_bench' || lpad(i::text, 8, '0'), 'bench', 'bo' || i || '-0', '1', 'bc' || i,
        'bs' || ((i * 7) % ${PRODUCTS} % 40), 'bp' || ((i * 7) % ${PRODUCTS}),
        case when i % 4 = 0 then 'personal_injury' else 'property_damage' end,
        ${START}::timestamptz - interval '20 days', 'Stored claim ' || i, 1000 + i % 90000, 'USD', '[]'::jsonb,
        'closed', (select id from policy_versions where marketplace_id = 'bench' limit 1), 1,
        ${START}::timestamptz - ((i % 365) || ' days')::interval, 'customer', now()
      from generate_series(${start}::int, ${end}::int) i`.execute(ctx.db);
    await sql`
      insert into claim_hazards (claim_id, marketplace_id, product_id, category, hazard, severity, terms, counterfeit, filed_at)
      select 'clm_bench' || lpad(i::text, 8, '0'), 'bench', 'bp' || ((i * 7) % ${PRODUCTS}),
        (${sql.raw(`array[${CATEGORIES.map((c) => `'${c}'`).join(',')}]`)})[1 + ((i * 7) % ${PRODUCTS}) % ${CATEGORIES.length}],
        (${sql.raw(HAZARD_LIST)})[1 + (i / 7) % 10], case when i % 4 = 0 then 2 + i % 2 else 1 end,
        '{"hazard":[],"severity":[],"counterfeit":[]}'::jsonb, false,
        ${START}::timestamptz - ((i % 365) || ' days')::interval
      from generate_series(${start}::int, ${end}::int) i`.execute(ctx.db);
  }
  await sql`analyze`.execute(ctx.db);
}

/**
 * Alert evaluation (the whole safety step of a filing: classify, store, count, baseline,
 * raise or join an alert) and the product safety record, over 1,000,000 stored claims.
 */
export async function safetyAtScale(options: { claims: number; samples: number }): Promise<void> {
  const engine = (await serverAvailable()) ? 'postgres' : 'pglite';
  const db = await freshDatabase(engine);
  const clock = new ManualClock(START);
  const ctx = benchContext(db.handle, clock);
  try {
    await setUpBenchMarketplace(ctx, { products: PRODUCTS, categories: CATEGORIES, title: 'Product' });
    const t0 = performance.now();
    await grow(ctx, options.claims);
    const loadSeconds = Math.round((performance.now() - t0) / 100) / 10;

    const cold: number[] = [];
    for (const category of CATEGORIES) {
      const c0 = performance.now();
      await categoryTotals(
        ctx.db,
        { marketplaceId: 'bench', category },
        { since: new Date(clock.now().getTime() - 365 * 86_400_000), now: clock.now() },
      );
      cold.push(performance.now() - c0);
    }

    // New claims, stored without their hazard, then assessed one transaction each.
    const n = options.samples;
    await sql`
      insert into claims (id, marketplace_id, order_id, line_id, customer_id, seller_id, product_id, type, incident_at,
        description, amount, currency, damages, status, policy_version_id, policy_version, filed_at, filed_by_role, updated_at)
      select 'clm_sample' || lpad(i::text, 6, '0'), 'bench', 'bo' || i || '-1', '1', 'bc' || i,
        'bs' || ((i * 11) % ${PRODUCTS} % 40), 'bp' || ((i * 11) % ${PRODUCTS}), 'personal_injury',
        ${START}::timestamptz - interval '2 days', 'The unit overheated and burned my hand; I saw a doctor.', 20000, 'USD',
        '[{"kind":"medical_bills","description":"Clinic","amount":{"value":20000,"currency":"USD"}}]'::jsonb,
        'screening', (select id from policy_versions where marketplace_id = 'bench' limit 1), 1, ${START}::timestamptz, 'customer', now()
      from generate_series(0, ${n - 1}::int) i`.execute(ctx.db);
    const evaluation: number[] = [];
    for (let i = 0; i < n; i++) {
      const id = `clm_sample${String(i).padStart(6, '0')}`;
      const e0 = performance.now();
      await ctx.db.transaction().execute(async (tx) => {
        const claim = await lockClaim(tx, id);
        if (claim) await assessClaimSafety(tx, ctx, claim);
      });
      evaluation.push(performance.now() - e0);
    }
    const alerts = await ctx.db
      .selectFrom('safety_alerts')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirst();

    const record: number[] = [];
    for (let i = 0; i < n; i++) {
      const r0 = performance.now();
      await productSafetyRecord(ctx.db, `bp${(i * 37) % PRODUCTS}`, clock.now());
      record.push(performance.now() - r0);
    }
    const figures = {
      engine,
      claims: options.claims,
      products: PRODUCTS,
      loadSeconds,
      alertEvaluationMs: percentiles(evaluation),
      safetyRecordMs: percentiles(record),
      categoryTotalsColdMs: percentiles(cold),
      alertsRaised: Number(alerts?.n ?? 0),
    };
    report('safety-at-scale', figures, [
      ['engine', engine],
      [
        'stored',
        `${options.claims.toLocaleString('en-US')} claims with hazards, ${(options.claims * 3).toLocaleString('en-US')} order lines, ${PRODUCTS} products (loaded in ${loadSeconds} s)`,
      ],
      [
        'alert evaluation per claim',
        `p50 ${figures.alertEvaluationMs.p50} ms, p99 ${figures.alertEvaluationMs.p99} ms (${n} claims, ${figures.alertsRaised} alerts raised)`,
      ],
      ['product safety record', `p50 ${figures.safetyRecordMs.p50} ms, p99 ${figures.safetyRecordMs.p99} ms`],
      [
        'category totals, uncached',
        `p50 ${figures.categoryTotalsColdMs.p50} ms, p99 ${figures.categoryTotalsColdMs.p99} ms (once a day per category)`,
      ],
    ]);
  } finally {
    await db.dispose();
  }
}
