import { screeningAtScale, screeningQuality } from './screening.ts';

/**
 * `npm run bench [-- name…]`: runs the named benchmarks (all by default). Each prints one JSON
 * line and a table. Needs nothing installed beyond `npm ci`; figures against the PostgreSQL
 * server run when one answers at DATABASE_URL or 127.0.0.1:5432, otherwise on PGlite.
 */
const BENCHES: Record<string, () => Promise<void>> = {
  'screening-quality': screeningQuality,
  'screening-latency': () =>
    screeningAtScale({
      sizes: (process.env.BENCH_SIZES ?? '0,100000,1000000').split(',').map(Number),
      samples: Number(process.env.BENCH_SAMPLES ?? 200),
    }),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
  const bench = BENCHES[name];
  if (!bench) {
    process.stderr.write(`unknown benchmark ${name}; known: ${Object.keys(BENCHES).join(', ')}\n`);
    process.exit(2);
  }
  await bench();
}
process.exit(0);
