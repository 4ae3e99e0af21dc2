import type { AppContext } from '../platform/context.ts';
import type { DatabaseHandle } from '../platform/db/connect.ts';
import { PAYOUT_LANES, payNextDuePayout } from './execute-payouts.ts';

/** The channel a pending payout is announced on, by the trigger of migration 0019_c. */
export const PAYOUTS_DUE_CHANNEL = 'redress_payouts_due';

/**
 * Pays a payout as soon as it is committed pending, instead of at the next poll, on lanes of
 * its own: not inside the interval pass, where it would wait behind mail, webhooks and the
 * other jobs, and not one payout after another, where one slow provider call would hold up
 * every payout behind it. A wake-up starts a lane when fewer than `lanes` are running, and
 * marks the payouts as wanted; a lane leases due payouts until its lease finds none, and ends
 * only if no wake-up came since it last looked (a payout committed while its lease statement
 * ran may have been missed by it). The interval pass still runs the payout job, so a lost
 * notification costs at most one poll interval.
 */
export async function wakePayoutsOnCommit(
  ctx: AppContext,
  handle: Pick<DatabaseHandle, 'listen' | 'urgent'>,
  options: { leaseMs?: number; lanes?: number } = {},
): Promise<{ stop(): Promise<void> }> {
  // On PGlite, ahead of the filings waiting for its one session: a settlement is a few short
  // statements, and behind eight filings it waited for all of them.
  const work = handle.urgent ? { ...ctx, db: handle.urgent } : ctx;
  const lanes = Math.max(1, options.lanes ?? PAYOUT_LANES);
  const running = new Set<Promise<void>>();
  let active = 0; // lanes not yet decided to end: counted down in the same turn as that decision
  let wanted = false;
  let stopped = false;
  const lane = async () => {
    while (!stopped) {
      wanted = false;
      const step = await payNextDuePayout(work, { ...options, woken: true }).catch((error) => {
        ctx.log.error({ err: error }, 'payout wake-up failed');
        return 'none' as const;
      });
      if (step === 'none' && !wanted) break;
    }
    active--;
  };
  const wake = (): void => {
    if (stopped) return;
    wanted = true;
    if (active >= lanes) return;
    active++;
    const run = lane();
    running.add(run);
    void run.finally(() => running.delete(run));
  };
  const unlisten = await handle.listen(PAYOUTS_DUE_CHANNEL, wake);
  return {
    stop: async () => {
      stopped = true;
      await unlisten();
      await Promise.all(running);
    },
  };
}
