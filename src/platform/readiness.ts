import type { AppContext } from './context.ts';
import { pendingMigrations } from './db/migrate.ts';

export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * Whether this process should get traffic: the database answers, it has every migration this
 * code expects, and the background worker (where this process runs one) is still turning.
 * The reason is for the log only: `/readyz` is public and says nothing of the database.
 */
export async function checkReadiness(ctx: Pick<AppContext, 'db' | 'worker'>): Promise<Readiness> {
  let pending: string[];
  try {
    pending = await pendingMigrations(ctx.db);
  } catch (error) {
    return { ready: false, reason: `the database does not answer: ${(error as Error).message}` };
  }
  if (pending.length) return { ready: false, reason: `migrations not run: ${pending.join(', ')}` };
  if (ctx.worker && !ctx.worker.isAlive())
    return { ready: false, reason: 'the background worker has stopped' };
  return { ready: true };
}
