import type { Command } from 'commander';
import { startRuntime } from '../app/runtime.ts';
import { seedDemo } from '../demo/seed-demo.ts';
import { openDatabase } from '../platform/db/connect.ts';
import { migrateToLatest, migrationPlan } from '../platform/db/migrate.ts';
import { describeMigrationPlan, MigrationHistoryError } from '../platform/db/migration-history.ts';
import { configOrExit } from './config-or-exit.ts';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (the server also does this at start)')
    .option('--plan', 'print what would run, and whether it may, without changing anything')
    .action(async (options: { plan?: boolean }) => {
      const config = configOrExit();
      const handle = await openDatabase(config);
      try {
        if (options.plan) {
          const { text, ok } = describeMigrationPlan(await migrationPlan(handle.db));
          process.stdout.write(text);
          if (!ok) process.exitCode = 1;
          return;
        }
        const applied = await migrateToLatest(handle.db);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'already up to date\n');
      } catch (error) {
        if (!(error instanceof MigrationHistoryError)) throw error;
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 1;
      } finally {
        await handle.close();
      }
    });
}

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description('Load data into the database')
    .requiredOption('--demo', 'the demo marketplace with a quarter of claims and well-known demo keys')
    .option(
      '--claims-per-day <n>',
      'claims filed per simulated day of the demo quarter (0: the bare demo, no quarter)',
      (value) => Number.parseInt(value, 10),
    )
    .action(async (options: { claimsPerDay?: number }) => {
      const runtime = await startRuntime(configOrExit());
      const { created } = await seedDemo(runtime.ctx, {
        ...(Number.isFinite(options.claimsPerDay) ? { claimsPerDay: options.claimsPerDay } : {}),
      });
      await runtime.close();
      process.stdout.write(created ? 'demo marketplace created\n' : 'demo marketplace already present\n');
    });
}
