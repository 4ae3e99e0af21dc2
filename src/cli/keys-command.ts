import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { startRuntime } from '../app/runtime.ts';
import { createApiKey } from '../platform/auth/api-keys.ts';
import { listApiKeys } from '../platform/auth/list-api-keys.ts';
import { revokeApiKey } from '../platform/auth/revoke-api-key.ts';
import { type Role, systemPrincipal } from '../platform/auth/roles.ts';
import {
  DEFAULT_OVERLAP_SECONDS,
  MAX_OVERLAP_SECONDS,
  rotateApiKey,
} from '../platform/auth/rotate-api-key.ts';
import type { AppContext } from '../platform/context.ts';
import { rewrapDataKeys } from '../privacy/data-keys.ts';
import { configOrExit, parseRole } from './config-or-exit.ts';

/** The operator at the console acts as the system, with every admin's reach. */
const OPERATOR = systemPrincipal('cli');

function parseDate(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('must be an ISO 8601 date-time');
  return date;
}

function parseOverlap(value: string): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_OVERLAP_SECONDS) {
    throw new InvalidArgumentError(`must be whole seconds from 0 to ${MAX_OVERLAP_SECONDS}`);
  }
  return seconds;
}

/**
 * Opens the runtime, runs one key command, prints its JSON answer, and closes. Logs go to stdout
 * too, so only errors are logged: the answer stays one JSON document a script can parse.
 */
async function withRuntime(work: (ctx: AppContext) => Promise<unknown>): Promise<void> {
  const runtime = await startRuntime({ ...configOrExit(), logLevel: 'error' });
  try {
    process.stdout.write(`${JSON.stringify(await work(runtime.ctx), null, 2)}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await runtime.close();
  }
}

export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('Manage API keys');
  keys
    .command('create')
    .description('Create an API key and print its secret (shown only this once)')
    .requiredOption('--role <role>', 'admin, agent, customer, seller, insurer or expert', parseRole)
    .option('--party <id>', 'the customer, seller, insurer or expert the key belongs to')
    .option('--label <text>', 'a note to recognise the key by')
    .option('--expires <time>', 'when the key stops working (ISO 8601); default never', parseDate)
    .action((options: { role: Role; party?: string; label?: string; expires?: Date }) =>
      withRuntime((ctx) =>
        createApiKey(ctx.db, ctx.clock, {
          role: options.role,
          partyId: options.party ?? null,
          label: options.label ?? null,
          expiresAt: options.expires ?? null,
        }),
      ),
    );
  keys
    .command('list')
    .description('List API keys, newest first (never their secrets)')
    .option('--role <role>', 'only keys of this role', parseRole)
    .option('--party <id>', 'only keys of this party')
    .option('--limit <n>', 'how many', (v) => Number.parseInt(v, 10), 200)
    .action((options: { role?: Role; party?: string; limit: number }) =>
      withRuntime((ctx) =>
        listApiKeys(ctx.db, ctx.clock, OPERATOR, {
          role: options.role,
          partyId: options.party,
          limit: options.limit,
        }),
      ),
    );
  keys
    .command('revoke <id>')
    .description('Revoke a key and end its sessions at once')
    .action((id: string) =>
      withRuntime((ctx) => ctx.db.transaction().execute((tx) => revokeApiKey(tx, ctx.clock, OPERATOR, id))),
    );
  keys
    .command('rotate <id>')
    .description('Issue a new key for the same holder; the old one expires after the overlap')
    .option(
      '--overlap <seconds>',
      'how long the old key keeps working',
      parseOverlap,
      DEFAULT_OVERLAP_SECONDS,
    )
    .action((id: string, options: { overlap: number }) =>
      withRuntime((ctx) =>
        ctx.db
          .transaction()
          .execute((tx) => rotateApiKey(tx, ctx.clock, OPERATOR, id, { overlapSeconds: options.overlap })),
      ),
    );
  keys
    .command('rotate-master')
    .description(
      'Re-wrap every data key under REDRESS_MASTER_KEY; the retiring key is REDRESS_MASTER_KEY_PREVIOUS',
    )
    .action(() =>
      withRuntime(async (ctx) => {
        const result = await ctx.db.transaction().execute((tx) => rewrapDataKeys(tx));
        return { rewrapped: result.rewrapped, masterKeyId: result.current };
      }),
    );
}
