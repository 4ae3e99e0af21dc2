import { sql } from 'kysely';
import { fileClaim } from '../src/claims/file-claim.ts';
import type { RiskAssessor } from '../src/claims/risk.ts';
import { putCustomer } from '../src/marketplace/put-customer.ts';
import { putOrder } from '../src/marketplace/put-order.ts';
import { ManualClock } from '../src/platform/clock.ts';
import type { AppContext } from '../src/platform/context.ts';
import { fraudAssessor } from '../src/screening/fraud-assessor.ts';
import { bands, signature, similarity } from '../src/screening/minhash.ts';
import {
  isParaphrase,
  type LemmaProfile,
  lemmaProfile,
  paraphraseBands,
  paraphraseSignature,
  paraphraseSimilarity,
  sharedLemmas,
} from '../src/screening/paraphrase.ts';
import { loadIncidentStories } from '../src/simulation/incidents.ts';
import { paraphrasedNarrative } from '../src/simulation/narratives.ts';
import { Random } from '../src/simulation/random.ts';
import { BLATANT_KINDS, SUBTLE_KINDS, simulate } from '../src/simulation/simulate.ts';
import {
  benchContext,
  freshDatabase,
  percentiles,
  realNarratives,
  report,
  serverAvailable,
  setUpBenchMarketplace,
} from './support.ts';

const START = new Date('2026-03-02T15:00:00Z');

/**
 * Quality on a simulated marketplace with ground truth: honest claims told in real CPSC
 * narratives, blatant and subtle abuse (src/simulation/simulate.ts). 120 days by default (the
 * serial claimant's three claims spread over the run; the frequency signal counts a year, so a
 * longer run changes nothing for it but the wait); `BENCH_DAYS`, `BENCH_ORDERS_PER_DAY`,
 * `BENCH_ABUSE_RATE` and `BENCH_SEED` change the scale.
 */
export async function screeningQuality(): Promise<void> {
  // BENCH_PARAPHRASE=0 skips the CPSC paraphrase measure (half a minute) on tuning runs.
  const narratives = process.env.BENCH_PARAPHRASE === '0' ? null : paraphraseMeasure();
  const db = await freshDatabase('pglite');
  const clock = new ManualClock(START);
  const days = Number(process.env.BENCH_DAYS ?? 120);
  try {
    const result = await simulate(benchContext(db.handle, clock), clock, {
      days,
      seed: Number(process.env.BENCH_SEED ?? 7),
      sellers: 30,
      customers: 1500,
      ordersPerDay: Number(process.env.BENCH_ORDERS_PER_DAY ?? 25),
      abuseRate: Number(process.env.BENCH_ABUSE_RATE ?? 2),
      defectRateScale: Number(process.env.BENCH_DEFECT_SCALE ?? 4),
    });
    const s = result.screening;
    const recall = (kinds: readonly string[]) =>
      kinds
        .map((k) => {
          const v = s.byKind[k];
          return v
            ? `${k} ${v.flagged}/${v.claims} (${Math.round((v.flagged / v.claims) * 100)}%)`
            : `${k} 0/0`;
        })
        .join(', ');
    const dollars = (minor: number) =>
      `USD ${(minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
    const honest = s.byKind.honest ?? { claims: 0, flagged: 0 };
    report('screening-quality', { ...s, narratives, simulatedDays: days, simulatedSeconds: result.seconds }, [
      ['claims screened', `${s.claims} (${s.fraudulent} abusive by ground truth, ${honest.claims} honest)`],
      [
        'honest narratives',
        `${s.honestNarratives.stories} told from ${s.honestNarratives.source} (${s.honestNarratives.reused} told twice)`,
      ],
      ['recall, blatant kinds', recall(BLATANT_KINDS)],
      ['recall, subtle kinds', recall(SUBTLE_KINDS)],
      ['recall (all abuse)', String(s.recall)],
      ['precision', String(s.precision)],
      [
        'false-positive rate (honest)',
        `${s.falsePositiveRate} (${honest.flagged} of ${honest.claims}; target ≤ 0.01)`,
      ],
      [
        'signals on honest claims',
        Object.entries(s.bySignal)
          .filter(([, v]) => v.honest > 0)
          .sort(([, a], [, b]) => b.honestFlagged - a.honestFlagged || b.honest - a.honest)
          .map(([code, v]) => `${code} ${v.honest} (${v.honestFlagged} flagged)`)
          .join(', ') || 'none',
      ],
      [
        'signals on abusive claims',
        Object.entries(s.bySignal)
          .filter(([, v]) => v.abusive > 0)
          .sort(([, a], [, b]) => b.abusive - a.abusive)
          .map(([code, v]) => `${code} ${v.abusive}`)
          .join(', '),
      ],
      [
        'honest claims flagged',
        s.falsePositives.map((f) => `${f.claimId} (${f.score}: ${f.signals.join(', ')})`).join('; ') ||
          'none',
      ],
      ['no-touch share', `${(s.noTouchShare * 100).toFixed(1)}%`],
      [
        'money that left on abusive claims',
        `${dollars(s.abusivePaid.amount)} on ${s.abusivePaid.claims} claims (${dollars(s.abusivePaid.recoveryFromClaimant)} of it owed back by the claimant)`,
      ],
      [
        'paraphrase vs shingles (CPSC narratives)',
        !narratives
          ? 'not measured (BENCH_PARAPHRASE=0)'
          : `${narratives.stories} stories retold: word-shingle MinHash ≥ 0.5 catches ${pct(narratives.shingleRecall)}, the lemma similarity ${pct(narratives.lemmaRecall)}; unrelated pairs matched: ${narratives.unrelatedMatched} of ${narratives.unrelatedPairs}`,
      ],
      ['run time', `${result.seconds} s for ${days} simulated days`],
    ]);
  } finally {
    await db.dispose();
  }
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/**
 * The paraphrase measure on the whole CPSC file: each story retold by the simulation's
 * paraphraser, compared with its original by both similarities; and every pair of different
 * stories, to count unrelated pairs the paraphrase rule would match.
 */
function paraphraseMeasure() {
  const stories = loadIncidentStories();
  const random = new Random(18);
  const profiles = stories.map((s) => lemmaProfile(s.narrative));
  let shingle = 0;
  let lemma = 0;
  for (const [i, story] of stories.entries()) {
    const told = paraphrasedNarrative(story.narrative, random);
    if (similarity(signature(story.narrative), signature(told)) >= 0.5) shingle++;
    const other = lemmaProfile(told);
    const mine = profiles[i] as LemmaProfile;
    if (
      isParaphrase({ similarity: paraphraseSimilarity(mine, other), sharedLemmas: sharedLemmas(mine, other) })
    )
      lemma++;
  }
  let pairs = 0;
  let matched = 0;
  for (let i = 0; i < profiles.length; i++)
    for (let j = i + 1; j < profiles.length; j++) {
      pairs++;
      const [a, b] = [profiles[i] as LemmaProfile, profiles[j] as LemmaProfile];
      if (isParaphrase({ similarity: paraphraseSimilarity(a, b), sharedLemmas: sharedLemmas(a, b) }))
        matched++;
    }
  return {
    stories: stories.length,
    shingleRecall: shingle / stories.length,
    lemmaRecall: lemma / stories.length,
    unrelatedPairs: pairs,
    unrelatedMatched: matched,
  };
}

/**
 * The stored claims' stories: the real CPSC narratives (about 1,000), each with the fingerprints
 * screening keeps (word MinHash and its bands, lemma signature and its bands), computed once and
 * given to stored claim i as story i mod n. Until the sixth session the history had one unique
 * hash per band and no lemma bands, so no stored claim ever shared a band with a new one and the
 * narrative lookup's cost did not show: with real words, common ones put many claims in the same
 * lemma band (docs/performance.md). Repeating ~1,000 stories makes every band's bucket grow with
 * the history, rare ones too, so the figures at 100,000 and more are a pessimistic case.
 */
async function storeStories(ctx: AppContext, stories: string[]): Promise<void> {
  // A plain table, not a temporary one: the statements below may each take another pooled
  // connection. It goes with the bench's database.
  await sql`create table bench_stories (
    k int primary key, description text, word_signature jsonb, word_bands text[],
    lemma_signature jsonb, lemma_bands text[])`.execute(ctx.db);
  for (const [k, description] of stories.entries()) {
    const words = signature(description);
    const lemmas = paraphraseSignature(description);
    await sql`insert into bench_stories values (${k}, ${description}, ${JSON.stringify(words)}::jsonb,
      ${bands(words)}::text[], ${JSON.stringify(lemmas)}::jsonb, ${paraphraseBands(lemmas)}::text[])`.execute(
      ctx.db,
    );
  }
}

/** Grows the stored history with plain SQL (the same rows the service writes, without the service). */
async function growHistory(ctx: AppContext, from: number, to: number, stories: number): Promise<void> {
  const batch = 100_000;
  for (let start = from; start < to; start += batch) {
    const end = Math.min(to, start + batch) - 1;
    await sql`
      insert into customers (id, marketplace_id, name, email, created_at, updated_at, account_created_at)
      select 'bc' || i, 'bench', 'Customer ' || i, 'c' || i || '@bench.example', now(), now(), now() - interval '900 days'
      from generate_series(${start}::int, ${end}::int) i where i % 5 = 0`.execute(ctx.db);
    // Ten orders per stored claim, so 1M claims come with 10M orders; the first carries the claimed line.
    await sql`
      insert into orders (id, marketplace_id, customer_id, created_at, updated_at)
      select 'bo' || i || '-' || k, 'bench', 'bc' || (i - i % 5), now(), now()
      from generate_series(${start}::int, ${end}::int) i, generate_series(0, 9) k`.execute(ctx.db);
    await sql`
      insert into order_lines (order_id, line_id, marketplace_id, product_id, seller_id, quantity, unit_price, currency, delivered_at)
      select 'bo' || i || '-0', '1', 'bench', 'bp' || (i % 200), 'bs' || (i % 200 % 40), 1, 1000 + i % 9000, 'USD', ${START}::timestamptz - interval '30 days'
      from generate_series(${start}::int, ${end}::int) i`.execute(ctx.db);
    await sql`
      insert into claims (id, marketplace_id, order_id, line_id, customer_id, seller_id, product_id, type, incident_at,
        description, narrative_signature, amount, currency, damages, status, policy_version_id, policy_version, filed_at, filed_by_role, updated_at, risk)
      select 'clm_bench' || lpad(i::text, 8, '0'), 'bench', 'bo' || i || '-0', '1', 'bc' || (i - i % 5), 'bs' || (i % 200 % 40), 'bp' || (i % 200),
        case when i % 5 = 0 then 'personal_injury' else 'property_damage' end,
        ${START}::timestamptz - interval '20 days', s.description, s.word_signature, 1000 + i % 90000, 'USD', '[]'::jsonb,
        'closed', (select id from policy_versions where marketplace_id = 'bench' limit 1), 1,
        ${START}::timestamptz - ((i % 365) || ' days')::interval, 'customer', now(), '{"score":0,"signals":[],"outcome":"pass","hardRule":null}'::jsonb
      from generate_series(${start}::int, ${end}::int) i join bench_stories s on s.k = i % ${stories}`.execute(
      ctx.db,
    );
    await sql`
      insert into claim_paraphrase_signatures (claim_id, customer_id, signature)
      select 'clm_bench' || lpad(i::text, 8, '0'), 'bc' || (i - i % 5), s.lemma_signature
      from generate_series(${start}::int, ${end}::int) i join bench_stories s on s.k = i % ${stories}`.execute(
      ctx.db,
    );
    for (const [table, column] of [
      ['claim_narrative_bands', 'word_bands'],
      ['claim_paraphrase_bands', 'lemma_bands'],
    ] as const)
      await sql`
        insert into ${sql.table(table)} (claim_id, band, hash)
        select 'clm_bench' || lpad(i::text, 8, '0'), b - 1, s.${sql.ref(column)}[b]
        from generate_series(${start}::int, ${end}::int) i join bench_stories s on s.k = i % ${stories},
          generate_series(1, cardinality(s.${sql.ref(column)})) b`.execute(ctx.db);
  }
  await sql`analyze`.execute(ctx.db);
}

/** Screening and filing latency of new claims with 0, 100k and 1M claims (and ten times as many orders) stored. */
export async function screeningAtScale(options: { sizes: number[]; samples: number }): Promise<void> {
  const engine = (await serverAvailable()) ? 'postgres' : 'pglite';
  const db = await freshDatabase(engine);
  const clock = new ManualClock(START);
  const timings: number[] = [];
  const timed: RiskAssessor = async (q, claim, policy) => {
    const t0 = performance.now();
    const result = await fraudAssessor(q, claim, policy);
    timings.push(performance.now() - t0);
    return result;
  };
  const ctx = { ...benchContext(db.handle, clock), riskAssessor: timed };
  const rows: [string, string][] = [];
  const figures: Record<string, unknown> = { engine };
  try {
    await setUpBenchMarketplace(ctx, {
      products: 200,
      categories: ['kitchen_appliances', 'heating', 'electronics', 'toys'],
      title: 'Kettle',
    });
    const narratives = realNarratives();
    await storeStories(ctx, narratives);
    let stored = 0;
    for (const size of options.sizes) {
      const t0 = performance.now();
      if (size > stored) await growHistory(ctx, stored, size, narratives.length);
      const loadSeconds = Math.round((performance.now() - t0) / 100) / 10;
      stored = size;
      timings.length = 0;
      const filing: number[] = [];
      for (let i = 0; i < options.samples; i++) {
        const customerId = `new-${size}-${i}`;
        await ctx.db.transaction().execute(async (tx) => {
          await putCustomer(tx, clock, customerId, {
            marketplaceId: 'bench',
            name: 'New',
            email: `${customerId}@bench.example`,
            identity: { phone: `+1999${size}${i}` },
          });
          await putOrder(tx, clock, `o-${customerId}`, {
            marketplaceId: 'bench',
            customerId,
            lines: [
              {
                lineId: '1',
                productId: `bp${i % 200}`,
                sellerId: `bs${(i % 200) % 40}`,
                quantity: 1,
                unitPrice: { value: 4999, currency: 'USD' },
                deliveredAt: '2026-02-20T15:00:00Z',
              },
            ],
          });
        });
        const f0 = performance.now();
        await ctx.db.transaction().execute((tx) =>
          fileClaim(
            tx,
            ctx,
            { role: 'customer', partyId: customerId, keyId: null, requestId: null },
            {
              orderId: `o-${customerId}`,
              lineId: '1',
              type: 'property_damage',
              incidentAt: '2026-02-25T15:00:00Z',
              // Real words, as the history's: a templated text shares no band with the stories.
              description: narratives[(i * 7 + size) % narratives.length] as string,
              amount: { value: 30_000, currency: 'USD' },
              damages: [
                {
                  kind: 'property_damage',
                  description: 'Counter',
                  amount: { value: 30_000, currency: 'USD' },
                },
              ],
            },
          ),
        );
        filing.push(performance.now() - f0);
      }
      const screening = percentiles(timings);
      const whole = percentiles(filing);
      figures[`stored_${size}`] = { screeningMs: screening, filingMs: whole, loadSeconds };
      rows.push([
        `${size.toLocaleString('en-US')} stored claims`,
        `screening p50 ${screening.p50} ms, p99 ${screening.p99} ms; whole filing p50 ${whole.p50} ms, p99 ${whole.p99} ms (history loaded in ${loadSeconds} s)`,
      ]);
    }
    report('screening-latency', figures, [['engine', engine], ...rows]);
  } finally {
    await db.dispose();
  }
}
