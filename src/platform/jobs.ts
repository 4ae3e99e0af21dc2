import type { AppContext } from './context.ts';

/** A pass of background work (deadlines, payouts, deliveries) that returns how much it did. */
export interface Job {
  name: string;
  run(ctx: AppContext): Promise<number>;
}

/**
 * Runs every job until none has anything left: a deadline may approve a claim whose payout
 * is then due, and a settled payout may schedule a recovery deadline.
 */
export async function runAllDue(
  ctx: AppContext,
  options: { maxRounds?: number } = {},
): Promise<Record<string, number>> {
  const done: Record<string, number> = {};
  for (let round = 0; round < (options.maxRounds ?? 20); round++) {
    let didAny = false;
    for (const job of ctx.jobs) {
      const count = await job.run(ctx);
      done[job.name] = (done[job.name] ?? 0) + count;
      if (count > 0) didAny = true;
    }
    if (!didAny) break;
  }
  return done;
}
