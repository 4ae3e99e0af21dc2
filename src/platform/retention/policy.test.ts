import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION, retentionCutoffs } from './policy.ts';

describe('retention cutoffs', () => {
  const now = new Date('2026-12-31T12:00:00Z');

  it('age each kind of record by its own period', () => {
    const cut = retentionCutoffs(DEFAULT_RETENTION, now);
    expect(cut.deliveredMessagesBefore.toISOString()).toBe('2026-12-01T12:00:00.000Z');
    expect(cut.webhookAttemptsBefore.toISOString()).toBe('2026-12-17T12:00:00.000Z');
    expect(cut.endedSessionsBefore.toISOString()).toBe('2026-12-24T12:00:00.000Z');
    expect(cut.idempotencyBefore.toISOString()).toBe('2026-12-28T12:00:00.000Z');
  });

  it('never shorten the idempotency window below 24 hours', () => {
    const cut = retentionCutoffs({ ...DEFAULT_RETENTION, idempotencyHours: 1 }, now);
    expect(cut.idempotencyBefore.toISOString()).toBe('2026-12-30T12:00:00.000Z');
  });
});
