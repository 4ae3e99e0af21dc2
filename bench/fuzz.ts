import { sql } from 'kysely';
import { buildServer } from '../src/app/server.ts';
import { DEMO_KEYS, seedDemo } from '../src/demo/seed-demo.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { Random } from '../src/simulation/random.ts';
import { injectInto, type KnownIds, operationsOf, runFuzz } from '../test/support/malformed-requests.ts';
import { benchContext, freshDatabase, report, serverAvailable } from './support.ts';

/**
 * `npm run bench -- fuzz`: malformed requests (bad ids, NUL and lone surrogates, broken JSON and
 * multipart, wrong types, lengths around every limit) to every operation in the OpenAPI document
 * with every role's key, no key and a wrong key, through app.inject on the demo marketplace.
 * Passes when no answer is a 5xx or a 4xx without problem+json, and no table changed in a batch
 * where no change was accepted. Rate limits are set out of reach: they would answer 429 first.
 */
export async function fuzz(options: { requests: number; seed: number }): Promise<void> {
  const engine = process.env.BENCH_ENGINE === 'pglite' || !(await serverAvailable()) ? 'pglite' : 'postgres';
  const database = await freshDatabase(engine);
  const ctx = benchContext(database.handle, new ManualClock(new Date('2026-11-16T15:00:00Z')));
  const outOfReach = 1_000_000_000;
  const app = await buildServer(ctx, {
    testClock: null,
    demoSignIn: true,
    rateLimits: {
      windowSeconds: 60,
      authFailuresPerAddress: outOfReach,
      signInsPerAddress: outOfReach,
      claimFilingsPerKey: outOfReach,
      claimFilingsPerAddress: outOfReach,
      importsPerKey: outOfReach,
      importsPerAddress: outOfReach,
    },
  });
  try {
    await app.ready();
    await seedDemo(ctx);
    const anyId = async (table: string) =>
      (await sql<{ id: string }>`select id from ${sql.table(table)} limit 1`.execute(ctx.db)).rows[0]?.id ??
      'none';
    const known: KnownIds = {
      claims: await anyId('claims'),
      marketplaces: await anyId('marketplaces'),
      sellers: await anyId('sellers'),
      customers: await anyId('customers'),
      orders: await anyId('orders'),
      insurers: await anyId('insurers'),
    };
    const operations = operationsOf(app.swagger() as never);
    const keys = [
      ...DEMO_KEYS.map((k) => ({ role: k.role, secret: k.secret })),
      { role: 'none', secret: null },
      { role: 'wrong', secret: 'rdk_not_a_key_at_all_000000' },
    ];
    const started = performance.now();
    const result = await runFuzz({
      inject: injectInto(app),
      db: ctx.db,
      operations,
      keys,
      known,
      random: new Random(options.seed),
      count: options.requests,
      batch: 500,
      onProgress: (sent) => {
        if (sent % 10_000 === 0) process.stderr.write(`fuzz: ${sent} requests\n`);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const fivexx = Object.entries(result.byStatus)
      .filter(([status]) => Number(status) >= 500)
      .reduce((sum, [, n]) => sum + n, 0);
    report(
      'fuzz',
      {
        engine,
        seed: options.seed,
        operations: operations.length,
        roles: keys.length,
        requests: result.requests,
        seconds: Math.round(seconds),
        byStatus: result.byStatus,
        fivexx,
        failures: result.failures,
        unexplainedChanges: result.unexplainedChanges,
        acceptedChanges: result.acceptedChanges,
      },
      [
        ['engine', engine],
        ['operations × keys', `${operations.length} × ${keys.length}`],
        ['requests', `${result.requests} in ${Math.round(seconds)} s`],
        [
          'by status',
          Object.entries(result.byStatus)
            .map(([s, n]) => `${s}: ${n}`)
            .join(', '),
        ],
        ['5xx', String(fivexx)],
        ['4xx without problem+json', String(result.failures.filter((f) => f.status < 500).length)],
        ['tables changed unaccepted', String(result.unexplainedChanges.length)],
        ['changes accepted (2xx)', String(result.acceptedChanges)],
      ],
    );
    if (result.failures.length > 0 || result.unexplainedChanges.length > 0) process.exitCode = 1;
  } finally {
    await app.close();
    await database.dispose();
  }
}
