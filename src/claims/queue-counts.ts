import type { Queryable } from '../platform/db/sql.ts';
import { CLAIM_QUEUES, type ClaimQueue, QUEUE_LABELS, queueFilter } from './queues.ts';
import { countClaims } from './store.ts';

export interface QueueCount {
  queue: ClaimQueue;
  label: string;
  count: number;
  oldestDue: Date | null;
}

/** Every queue's count and oldest deadline, in working order (one indexed count each). */
export async function countQueues(
  db: Queryable,
  now: Date,
  agentKeyId: string | null,
  /** A third-party administrator counts only its marketplaces' claims (access.ts, claimListScope). */
  scope: { marketplaceIds?: readonly string[] } = {},
): Promise<QueueCount[]> {
  const counts: QueueCount[] = [];
  for (const queue of CLAIM_QUEUES) {
    const { count, oldestDue } = await countClaims(db, {
      ...queueFilter(queue, now, agentKeyId),
      ...(scope.marketplaceIds ? { marketplaceIds: scope.marketplaceIds } : {}),
    });
    counts.push({ queue, label: QUEUE_LABELS[queue], count, oldestDue });
  }
  return counts;
}
