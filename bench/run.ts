import { failover } from './failover.ts';
import { fuzz } from './fuzz.ts';
import { ingest } from './ingest.ts';
import { intake } from './intake.ts';
import { hazardAccuracy, safetyAtScale } from './safety.ts';
import { screeningAtScale, screeningQuality } from './screening.ts';
import { startup } from './startup.ts';

/**
 * `npm run bench [-- name…]`: runs the named benchmarks (all by default). Each prints one JSON
 * line and a table. Needs nothing installed beyond `npm ci`; figures against the PostgreSQL
 * server run when one answers at DATABASE_URL or 127.0.0.1:5432, otherwise on PGlite.
 */
const BENCHES: Record<string, () => Promise<void>> = {
  intake: () =>
    intake({
      seconds: Number(process.env.BENCH_SECONDS ?? 10),
      concurrency: (process.env.BENCH_CONCURRENCY ?? '1,8,32').split(',').map(Number),
      processes: (process.env.BENCH_PROCESSES ?? '1,2,4').split(',').map(Number),
    }),
  ingest: () =>
    ingest({
      orders: Number(process.env.BENCH_ORDERS ?? 200_000),
      ...(process.env.BENCH_ENGINES ? { engines: process.env.BENCH_ENGINES.split(',') } : {}),
    }),
  startup,
  'screening-quality': screeningQuality,
  'screening-latency': () =>
    screeningAtScale({
      sizes: (process.env.BENCH_SIZES ?? '0,100000,1000000').split(',').map(Number),
      samples: Number(process.env.BENCH_SAMPLES ?? 200),
    }),
  'hazard-accuracy': hazardAccuracy,
  fuzz: () =>
    fuzz({
      requests: Number(process.env.BENCH_FUZZ_REQUESTS ?? 100_000),
      seed: Number(process.env.BENCH_SEED ?? 14),
    }),
  safety: () =>
    safetyAtScale({
      claims: Number(process.env.BENCH_SAFETY_CLAIMS ?? 1_000_000),
      samples: Number(process.env.BENCH_SAMPLES ?? 200),
    }),
  failover: () =>
    failover({
      seconds: Number(process.env.BENCH_SECONDS ?? 12),
      concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
    }),
};

/** Run only when named: `failover` restarts the machine's PostgreSQL under everyone using it. */
const ONLY_WHEN_NAMED = new Set(['failover']);

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted.length ? wanted : Object.keys(BENCHES).filter((n) => !ONLY_WHEN_NAMED.has(n))) {
  const bench = BENCHES[name];
  if (!bench) {
    process.stderr.write(`unknown benchmark ${name}; known: ${Object.keys(BENCHES).join(', ')}\n`);
    process.exit(2);
  }
  await bench();
}
process.exit(process.exitCode ?? 0);
