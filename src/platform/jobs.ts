import type { AppContext } from './context.ts';

/** A pass of background work (deadlines, payouts, deliveries) that returns how much it did. */
export interface Job {
  name: string;
  run(ctx: AppContext): Promise<number>;
}

/** Rounds of a job (or of every job) a pass or a lane's turn runs at most before it lets go. */
const MAX_ROUNDS = 20;

/**
 * Runs every job until none has anything left: a deadline may approve a claim whose payout
 * is then due, and a settled payout may schedule a recovery deadline.
 */
export async function runAllDue(
  ctx: AppContext,
  options: { maxRounds?: number } = {},
): Promise<Record<string, number>> {
  const done: Record<string, number> = {};
  for (let round = 0; round < (options.maxRounds ?? MAX_ROUNDS); round++) {
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

/**
 * A server's worker: each job on a lane of its own. Every `intervalMs` each lane not already
 * running starts a turn, running its job again while it reports work (at most `maxRounds` times
 * a turn, as runAllDue). One pass running the jobs one after another (runAllDue) let a slow job
 * hold up the rest: at 8 callers on the intake bench a pass sent 200 e-mails at ~20 a second, and
 * the outbox, fanned out once a pass, fell thousands of messages behind (docs/performance.md,
 * seventh session). A job done by one lane enables another's on that lane's next turn (a deadline
 * approving a claim; its payout is woken by the commit, payout-wake.ts). Every job already runs
 * safely beside copies of itself in other processes (leases, advisory locks), so lanes need no
 * more. A failed turn is reported and the next tries again.
 */
export function startJobLanes(
  ctx: AppContext,
  options: {
    intervalMs: number;
    maxRounds?: number;
    /** A lane's turn started or ended (the worker monitor times each turn). */
    onTurn?: (job: string, phase: 'start' | 'end') => void;
    onError: (job: string, error: unknown) => void;
  },
): { stop(): Promise<void> } {
  const turns = new Map<string, Promise<void>>();
  let stopping = false;
  const turn = async (job: Job) => {
    options.onTurn?.(job.name, 'start');
    try {
      for (let round = 0; round < (options.maxRounds ?? MAX_ROUNDS) && !stopping; round++)
        if ((await job.run(ctx)) === 0) break;
    } catch (error) {
      options.onError(job.name, error);
    } finally {
      options.onTurn?.(job.name, 'end');
    }
  };
  const tick = () => {
    for (const job of ctx.jobs) {
      if (stopping || turns.has(job.name)) continue;
      const running = turn(job).finally(() => turns.delete(job.name));
      turns.set(job.name, running);
    }
  };
  const timer = setInterval(tick, options.intervalMs);
  return {
    stop: async () => {
      stopping = true;
      clearInterval(timer);
      await Promise.all(turns.values());
    },
  };
}
