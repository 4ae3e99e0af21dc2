import { describe, expect, it } from 'vitest';
import { isReviewOverdue, reviewDueAt } from './reviews.ts';

const NEW_YORK = { holidayCalendar: 'US', timeZone: 'America/New_York' };

describe('a review’s due time', () => {
  it('counts business days in the marketplace’s zone and skips its holidays', () => {
    // Tuesday 24 Nov 2026, 10:00 New York; Thursday 26 is Thanksgiving: Wed 25, Fri 27, Mon 30.
    const due = reviewDueAt(new Date('2026-11-24T15:00:00Z'), { reviewBusinessDays: 3 }, NEW_YORK);
    expect(due.toISOString()).toBe('2026-12-01T05:00:00.000Z');
  });

  it('is overdue only while the claim is still in review', () => {
    const due = new Date('2026-12-01T05:00:00Z');
    expect(isReviewOverdue({ status: 'under_review', review_due_at: due }, due)).toBe(true);
    expect(isReviewOverdue({ status: 'under_review', review_due_at: due }, new Date(due.getTime() - 1))).toBe(
      false,
    );
    expect(isReviewOverdue({ status: 'approved', review_due_at: due }, due)).toBe(false);
  });
});
