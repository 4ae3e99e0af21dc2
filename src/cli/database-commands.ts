import type { Command } from 'commander';
import { seedDemo } from '../demo/seed-demo.ts';
import { openDatabase } from '../platform/db/connect.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { startRuntime } from '../platform/runtime.ts';
import { configOrExit } from './config-or-exit.ts';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (the server also does this at start)')
    .action(async () => {
      const config = configOrExit();
      const handle = await openDatabase(config);
      const applied = await migrateToLatest(handle.db);
      await handle.close();
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'already up to date\n');
    });
}

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description('Load data into the database')
    .requiredOption('--demo', 'the demo marketplace with a few claims and well-known demo keys')
    .action(async () => {
      const runtime = await startRuntime(configOrExit());
      const { created } = await seedDemo(runtime.ctx);
      await runtime.close();
      process.stdout.write(created ? 'demo marketplace created\n' : 'demo marketplace already present\n');
    });
}
