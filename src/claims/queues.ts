import { OPEN_STATUSES } from './lifecycle.ts';
import type { ClaimListFilter } from './store.ts';

/**
 * The agent console's queues, each a filter of the claim list, in the order an agent works them:
 * the first that holds a claim is where the console opens. One definition serves both the list
 * (GET /v1/claims?queue=…) and the counts (GET /v1/claim-queues), so a badge never disagrees
 * with the list it opens.
 */
export const CLAIM_QUEUES = [
  'overdue_reviews',
  'disputed',
  'needs_review',
  'needs_expert',
  'expert_overdue',
  'step_in_due',
  'with_experts',
  'mine',
  'unassigned',
] as const;

export type ClaimQueue = (typeof CLAIM_QUEUES)[number];

export const QUEUE_LABELS: Record<ClaimQueue, string> = {
  overdue_reviews: 'Overdue reviews',
  disputed: 'Disputed',
  needs_review: 'Needs review',
  needs_expert: 'Needs an expert',
  expert_overdue: 'Expert overdue',
  step_in_due: 'Step-in due',
  with_experts: 'With experts',
  mine: 'Mine',
  unassigned: 'Unassigned',
};

type QueueFilter = Omit<ClaimListFilter, 'limit' | 'sort' | 'cursor'>;

/** The filter a queue stands for, at this moment, for this agent (its key owns "mine"). */
export function queueFilter(queue: ClaimQueue, now: Date, agentKeyId: string | null): QueueFilter {
  switch (queue) {
    case 'overdue_reviews':
      return { overdueAt: now };
    case 'disputed':
      return { statuses: ['under_review'], reviewKind: 'dispute' };
    case 'needs_review':
      return { statuses: ['under_review'], notReviewKind: 'dispute' };
    case 'needs_expert':
      return { statuses: ['expert_review'], withoutExpert: true };
    case 'expert_overdue':
      return { statuses: ['expert_review'], expertOverdueAt: now };
    case 'step_in_due':
      return { statuses: ['awaiting_seller'] };
    case 'with_experts':
      return { statuses: ['expert_review'] };
    case 'mine':
      // A principal with no key (the demo's session has one) owns nothing.
      return agentKeyId ? { statuses: OPEN_STATUSES, ownerId: agentKeyId } : { statuses: [] };
    case 'unassigned':
      return { statuses: OPEN_STATUSES, ownerId: null };
  }
}
