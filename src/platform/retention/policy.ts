/**
 * How long operational records are kept after they stop mattering. Platform-wide, from the
 * environment (see docs/operations.md), not per marketplace: these tables serve every
 * marketplace at once, and none of them is a record of a claim. Claims, their events, the
 * ledger and evidence are never pruned here (their retention follows the erasure rules).
 */
export interface RetentionPolicy {
  /** Outbox messages fully delivered (fanned out, every webhook delivered, every mail sent, relayed when a stream is configured). */
  deliveredMessageDays: number;
  /** Attempt logs of webhook deliveries that succeeded; attempts of undelivered ones are kept. */
  webhookAttemptDays: number;
  /** Timers that have fired. */
  firedTimerDays: number;
  /** Sessions after they expired or were revoked. */
  endedSessionDays: number;
  /** The idempotency window: a retry with the same key within it gets the stored answer. At least 24. */
  idempotencyHours: number;
  /** Rows deleted per statement, so a backlog never holds locks for long. */
  batchSize: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  deliveredMessageDays: 30,
  webhookAttemptDays: 14,
  firedTimerDays: 30,
  endedSessionDays: 7,
  idempotencyHours: 72,
  batchSize: 500,
};

export const MIN_IDEMPOTENCY_HOURS = 24;

export interface RetentionCutoffs {
  deliveredMessagesBefore: Date;
  webhookAttemptsBefore: Date;
  firedTimersBefore: Date;
  endedSessionsBefore: Date;
  idempotencyBefore: Date;
}

const HOUR_MS = 3_600_000;

/** Records older than each cutoff may go; everything at or after it stays. */
export function retentionCutoffs(policy: RetentionPolicy, now: Date): RetentionCutoffs {
  const before = (hours: number) => new Date(now.getTime() - hours * HOUR_MS);
  return {
    deliveredMessagesBefore: before(policy.deliveredMessageDays * 24),
    webhookAttemptsBefore: before(policy.webhookAttemptDays * 24),
    firedTimersBefore: before(policy.firedTimerDays * 24),
    endedSessionsBefore: before(policy.endedSessionDays * 24),
    idempotencyBefore: before(Math.max(policy.idempotencyHours, MIN_IDEMPOTENCY_HOURS)),
  };
}
