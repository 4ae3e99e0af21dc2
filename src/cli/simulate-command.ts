import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { ManualClock } from '../platform/clock.ts';
import { startRuntime } from '../platform/runtime.ts';
import { simulate } from '../simulation/simulate.ts';
import { configOrExit } from './config-or-exit.ts';

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
      }) => {
        const runtime = await startRuntime({ ...configOrExit(), logLevel: 'warn' });
        const clock = new ManualClock(new Date(o.start));
        const ctx = { ...runtime.ctx, clock };
        const bar = o.json
          ? null
          : new SingleBar({
              format: 'simulate [{bar}] {value}/{total} days | {duration}s',
              hideCursor: true,
            });
        bar?.start(o.days, 0);
        const result = await simulate(ctx, clock, {
          days: o.days,
          seed: o.seed,
          sellers: o.sellers,
          customers: o.customers,
          ordersPerDay: o.ordersPerDay,
          abuseRate: o.abuseRate,
          onProgress: (day) => bar?.update(day),
        });
        bar?.stop();
        await runtime.close();
        if (o.json) {
          process.stdout.write(`${JSON.stringify(result)}\n`);
          return;
        }
        const s = result.screening;
        const r = result.report;
        const usd = (minor: number) =>
          `USD ${(minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
        const lines = [
          `Simulated ${o.days} days in ${result.seconds}s (seed ${o.seed}, ${ctx.engine})`,
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
