import type { Command } from 'commander';
import { startRuntime } from '../app/runtime.ts';
import { ManualClock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import type { AppContext } from '../platform/context.ts';
import type { SimulationResult } from '../simulation/simulate.ts';
import { configOrExit } from './config-or-exit.ts';
import {
  type SimulationDatabase,
  type SimulationTarget,
  SimulationTargetError,
  simulationDatabase,
} from './simulation-database.ts';

const int = (value: string) => Number.parseInt(value, 10);

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('Run a simulated marketplace through the real service code with a moving clock, and report')
    .option('--days <n>', 'days to simulate', int, 90)
    .option('--seed <n>', 'seed: the same seed gives the same run', int, 1)
    .option('--sellers <n>', 'sellers', int, 40)
    .option('--customers <n>', 'honest customers', int, 2000)
    .option('--orders-per-day <n>', 'orders per day', int, 150)
    .option(
      '--abuse-rate <x>',
      'abusive claims per 1% of orders (1 = roughly as many abusive claims as honest ones)',
      Number.parseFloat,
      1,
    )
    .option('--start <iso>', 'simulated start date', '2026-01-05T14:00:00Z')
    .option('--json', 'print the result as JSON only')
    .option(
      '--fresh-server-database',
      'run in a throw-away database created on the DATABASE_URL server (default: a fresh PGlite in a temp folder)',
    )
    .option(
      '--into-current-database',
      "write into the server's own database (REDRESS_DATA_DIR or DATABASE_URL), beside its data: demo only",
    )
    .option('--keep', 'keep the fresh database after the run and say where it is')
    .action(
      async (o: {
        days: number;
        seed: number;
        sellers: number;
        customers: number;
        ordersPerDay: number;
        abuseRate: number;
        start: string;
        json?: boolean;
        freshServerDatabase?: boolean;
        intoCurrentDatabase?: boolean;
        keep?: boolean;
      }) => {
        if (o.freshServerDatabase && o.intoCurrentDatabase) {
          process.stderr.write('choose one of --fresh-server-database and --into-current-database\n');
          process.exit(2);
        }
        const target: SimulationTarget = o.intoCurrentDatabase
          ? 'current-database'
          : o.freshServerDatabase
            ? 'fresh-server-database'
            : 'fresh-pglite';
        const database = await simulationDatabase(configOrExit(), target, { keep: Boolean(o.keep) }).catch(
          (error: unknown) => {
            if (!(error instanceof SimulationTargetError)) throw error;
            process.stderr.write(`${error.message}\n`);
            process.exit(2);
          },
        );
        // A fresh database has no keys of its own yet: the warnings about demo keys would be noise.
        const logLevel = target === 'current-database' ? 'warn' : 'error';
        // Imported here, as in import-command.ts: registering the command must not load it.
        const { SingleBar } = await import('cli-progress');
        // The simulation (and the image library its ring photos use) likewise: `serve` registers
        // every command and would load them at start.
        const { freeMarketplaceId, simulate } = await import('../simulation/simulate.ts');
        const bar = o.json
          ? null
          : new SingleBar({
              format: 'simulate [{bar}] {value}/{total} days | {duration}s',
              hideCursor: true,
            });
        const clock = new ManualClock(new Date(o.start));
        // The throw-away database goes whatever happens, a refused start-up included.
        const { result, marketplaceId, engine } = await runThenDiscard(database, logLevel, async (ctx) => {
          const marketplaceId = await freeMarketplaceId(ctx.db, o.seed);
          bar?.start(o.days, 0);
          const result = await simulate({ ...ctx, clock }, clock, {
            days: o.days,
            seed: o.seed,
            sellers: o.sellers,
            customers: o.customers,
            ordersPerDay: o.ordersPerDay,
            abuseRate: o.abuseRate,
            marketplaceId,
            onProgress: (day) => bar?.update(day),
          });
          bar?.stop();
          return { result, marketplaceId, engine: ctx.engine };
        });
        if (o.json) {
          process.stdout.write(`${JSON.stringify(result)}\n`);
          return;
        }
        const s = result.screening;
        const r = result.report;
        const usd = (minor: number) =>
          `USD ${(minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
        const lines = [
          `Simulated ${o.days} days in ${result.seconds}s (seed ${o.seed}, ${engine})`,
          `into ${database.where}, marketplace ${marketplaceId}`,
          ...(r.claims.total === 0 ? ['', whyNoClaims(result, o)] : []),
          '',
          `claims filed             ${r.claims.total}   ${JSON.stringify(r.claims.byStatus)}`,
          `within small-claim limit ${r.withinSmallClaimLimit.count} (${((r.withinSmallClaimLimit.share ?? 0) * 100).toFixed(1)}%)`,
          `paid by payer            ${
            Object.entries(r.paid.byPayer)
              .map(([k, v]) => `${k} ${usd(v)}`)
              .join(', ') || '—'
          }`,
          `step-ins                 ${r.stepIns}`,
          `recovery                 recovered ${usd(r.recovery.recovered)}, offset ${usd(r.recovery.offset)}, waived ${usd(r.recovery.waived)}, written off ${usd(r.recovery.writtenOff)}, outstanding ${usd(r.recovery.outstanding)}`,
          `median time to payout    ${r.medianHoursToPayout ?? '—'} h`,
          '',
          `screening                precision ${s.precision}  recall ${s.recall}  false-positive rate ${s.falsePositiveRate}`,
          `no-touch share           ${(s.noTouchShare * 100).toFixed(1)}% of claims decided with no agent or expert`,
          `filing + screening       p50 ${s.filingLatencyMs.p50} ms, p99 ${s.filingLatencyMs.p99} ms`,
          `by kind                  ${Object.entries(s.byKind)
            .map(([k, v]) => `${k} ${v.flagged}/${v.claims}`)
            .join(', ')}`,
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      },
    );
}

async function runThenDiscard<T>(
  database: SimulationDatabase,
  logLevel: Config['logLevel'],
  run: (ctx: AppContext) => Promise<T>,
): Promise<T> {
  try {
    const runtime = await startRuntime({ ...database.config, logLevel });
    try {
      return await run(runtime.ctx);
    } finally {
      await runtime.close();
    }
  } finally {
    await database.discard();
  }
}

/** A run that filed nothing says which of the two sources of claims stayed dry, and what to change. */
export function whyNoClaims(
  result: Pick<SimulationResult, 'activity'>,
  o: { days: number; ordersPerDay: number; abuseRate: number },
): string {
  const a = result.activity;
  const expectedAbuse = o.days * o.ordersPerDay * 0.01 * o.abuseRate;
  return [
    `No claims were filed. Of ${a.orders} orders, ${a.honestIncidents} had a defect;`,
    `${a.honestNotYetFiled} of those customers would file after day ${o.days} (honest customers file 1 to 20 days after the incident).`,
    `Abuse at --abuse-rate ${o.abuseRate} gives about ${expectedAbuse.toFixed(1)} abusive claims in ${o.days} days; ${a.abusiveClaims} came.`,
    'Run more --days (30 or more), or raise --orders-per-day or --abuse-rate.',
  ].join('\n');
}
