import { describe, expect, it } from 'vitest';
import { CLAIM_QUEUES, QUEUE_LABELS, queueFilter } from './queues.ts';

const now = new Date('2026-12-01T12:00:00Z');

describe('the agent console queues', () => {
  it('each has a label and a filter', () => {
    for (const queue of CLAIM_QUEUES) {
      expect(QUEUE_LABELS[queue]).toMatch(/\w/);
      expect(queueFilter(queue, now, 'key_jordan')).toBeTypeOf('object');
    }
  });

  it('splits reviews into disputes and the rest', () => {
    expect(queueFilter('disputed', now, null)).toEqual({ statuses: ['under_review'], reviewKind: 'dispute' });
    expect(queueFilter('needs_review', now, null)).toEqual({
      statuses: ['under_review'],
      notReviewKind: 'dispute',
    });
  });

  it('dates the overdue queues by the moment asked', () => {
    expect(queueFilter('overdue_reviews', now, null)).toEqual({ overdueAt: now });
    expect(queueFilter('expert_overdue', now, null)).toMatchObject({ expertOverdueAt: now });
  });

  it("gives 'mine' the caller's key, and nothing to a caller without one", () => {
    expect(queueFilter('mine', now, 'key_jordan')).toMatchObject({ ownerId: 'key_jordan' });
    expect(queueFilter('mine', now, null)).toEqual({ statuses: [] });
    expect(queueFilter('unassigned', now, 'key_jordan')).toMatchObject({ ownerId: null });
  });
});
