import type { Command } from 'commander';
import { createApiKey } from '../platform/auth/api-keys.ts';
import type { Role } from '../platform/auth/roles.ts';
import { startRuntime } from '../platform/runtime.ts';
import { rewrapDataKeys } from '../privacy/data-keys.ts';
import { configOrExit, parseRole } from './config-or-exit.ts';

export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('Manage API keys');
  keys
    .command('create')
    .description('Create an API key and print its secret (shown only this once)')
    .requiredOption('--role <role>', 'admin, agent, customer, seller, insurer or expert', parseRole)
    .option('--party <id>', 'the customer, seller, insurer or expert the key belongs to')
    .option('--label <text>', 'a note to recognise the key by')
    .action(async (options: { role: Role; party?: string; label?: string }) => {
      const runtime = await startRuntime(configOrExit());
      try {
        const key = await createApiKey(runtime.ctx.db, runtime.ctx.clock, {
          role: options.role,
          partyId: options.party ?? null,
          label: options.label ?? null,
        });
        process.stdout.write(`${JSON.stringify(key, null, 2)}\n`);
      } catch (error) {
        process.stderr.write(`${(error as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        await runtime.close();
      }
    });

  keys
    .command('rotate-master')
    .description(
      'Re-wrap every data key under REDRESS_MASTER_KEY; the retiring key is REDRESS_MASTER_KEY_PREVIOUS',
    )
    .action(async () => {
      const runtime = await startRuntime(configOrExit());
      try {
        const result = await runtime.ctx.db.transaction().execute((tx) => rewrapDataKeys(tx));
        process.stdout.write(
          `${JSON.stringify({ rewrapped: result.rewrapped, masterKeyId: result.current }, null, 2)}\n`,
        );
      } catch (error) {
        process.stderr.write(`${(error as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        await runtime.close();
      }
    });
}
