import { EventEmitter } from 'node:events';
import type { AppContext } from '../../platform/context.ts';
import { IMPORT_LEASE_MS, runImportJobs } from './run-import-job.ts';

/** Told when this process queues a job, so its own worker starts at once instead of at the next poll. */
const queued = new EventEmitter();

export function announceImportQueued(): void {
  queued.emit('queued');
}

export interface ImportWorker {
  stop(): Promise<void>;
}

/**
 * Runs import jobs in this process: at once when one is queued here, and every `pollMs` for
 * jobs queued by other processes or left behind by a worker that died (its lease ran out).
 * Separate from the deadline worker's passes, so a million-line import never delays a payout.
 */
export function startImportWorker(
  ctx: AppContext,
  options: { owner: string; pollMs?: number },
): ImportWorker {
  let running: Promise<unknown> | null = null;
  let again = false;
  let stopped = false;
  const stopping = new AbortController();
  const pass = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = runImportJobs(ctx, { owner: options.owner, leaseMs: IMPORT_LEASE_MS, signal: stopping.signal })
      .catch((error) => ctx.log.error({ err: error }, 'import worker failed'))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          pass();
        }
      });
  };
  queued.on('queued', pass);
  const timer = setInterval(pass, options.pollMs ?? 2000);
  timer.unref();
  pass();
  return {
    stop: async () => {
      stopped = true;
      stopping.abort();
      clearInterval(timer);
      queued.off('queued', pass);
      await running;
    },
  };
}
