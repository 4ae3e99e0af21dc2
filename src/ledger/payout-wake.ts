import type { AppContext } from '../platform/context.ts';
import type { DatabaseHandle } from '../platform/db/connect.ts';

/** The channel a pending payout is announced on, by the trigger of migration 0019_c. */
export const PAYOUTS_DUE_CHANNEL = 'redress_payouts_due';

/**
 * Runs the payout job as soon as a payout is committed pending, instead of at the next poll.
 * Wake-ups coalesce: while a run is going, any number of them make one more run after it (a
 * payout committed during a run may have been missed by its query). The interval pass still
 * runs the same job, so a lost notification costs at most one poll interval.
 */
export async function wakePayoutsOnCommit(
  ctx: AppContext,
  handle: Pick<DatabaseHandle, 'listen'>,
): Promise<{ stop(): Promise<void> }> {
  const job = ctx.jobs.find((j) => j.name === 'payouts');
  if (!job) return { stop: async () => {} };
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const run = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        // A pass pays every due payout it can lease, so one run serves many wake-ups.
        await job.run(ctx).catch((error) => ctx.log.error({ err: error }, 'payout wake-up failed'));
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  };
  const unlisten = await handle.listen(PAYOUTS_DUE_CHANNEL, run);
  return {
    stop: async () => {
      stopped = true;
      await unlisten();
      await running;
    },
  };
}
