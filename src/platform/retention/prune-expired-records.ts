import type { AppContext } from '../context.ts';
import type { Job } from '../jobs.ts';
import { type RetentionPolicy, retentionCutoffs } from './policy.ts';
import {
  deleteDeliveredMessages,
  deleteEndedSessions,
  deleteFiredTimers,
  deleteIdempotencyRecords,
  deleteWebhookAttempts,
} from './retention-store.ts';

export type PrunedCounts = Record<
  'deliveredMessages' | 'webhookAttempts' | 'firedTimers' | 'endedSessions' | 'idempotencyRecords',
  number
>;

/**
 * One batch of each kind of expired record, each its own statement (and so its own short
 * transaction). The worker calls it again while it finds work, so a backlog drains in steps.
 */
export async function pruneExpiredRecords(ctx: AppContext, policy: RetentionPolicy): Promise<PrunedCounts> {
  const cut = retentionCutoffs(policy, ctx.clock.now());
  const limit = policy.batchSize;
  return {
    deliveredMessages: await deleteDeliveredMessages(ctx.db, {
      before: cut.deliveredMessagesBefore,
      requireRelay: ctx.notifications.nats !== null,
      limit,
    }),
    webhookAttempts: await deleteWebhookAttempts(ctx.db, { before: cut.webhookAttemptsBefore, limit }),
    firedTimers: await deleteFiredTimers(ctx.db, { before: cut.firedTimersBefore, limit }),
    endedSessions: await deleteEndedSessions(ctx.db, { before: cut.endedSessionsBefore, limit }),
    idempotencyRecords: await deleteIdempotencyRecords(ctx.db, { before: cut.idempotencyBefore, limit }),
  };
}

/**
 * The worker's retention pass. It looks for expired records at most once per `idleIntervalMs`
 * (by the injected clock) while there are none, and on every pass while it is draining a backlog.
 */
export function retentionJob(policy: RetentionPolicy, options: { idleIntervalMs?: number } = {}): Job {
  const idleIntervalMs = options.idleIntervalMs ?? 60_000;
  let nextLookAt = 0;
  return {
    name: 'retention',
    run: async (ctx) => {
      const now = ctx.clock.now().getTime();
      if (now < nextLookAt) return 0;
      const counts = await pruneExpiredRecords(ctx, policy);
      const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
      if (total > 0) ctx.log.info({ pruned: counts }, 'retention pruned expired records');
      else nextLookAt = now + idleIntervalMs;
      return total;
    },
  };
}
