import { z } from 'zod';
import { DEFAULT_RETENTION, MIN_IDEMPOTENCY_HOURS, type RetentionPolicy } from './policy.ts';

const days = (fallback: number) => z.coerce.number().int().min(1, 'must be at least 1 day').default(fallback);

/** The retention variables of the environment (docs/operations.md lists them with their defaults). */
export const RETENTION_VARIABLES = {
  REDRESS_RETAIN_DELIVERED_MESSAGES_DAYS: days(DEFAULT_RETENTION.deliveredMessageDays),
  REDRESS_RETAIN_WEBHOOK_ATTEMPTS_DAYS: days(DEFAULT_RETENTION.webhookAttemptDays),
  REDRESS_RETAIN_FIRED_TIMERS_DAYS: days(DEFAULT_RETENTION.firedTimerDays),
  REDRESS_RETAIN_ENDED_SESSIONS_DAYS: days(DEFAULT_RETENTION.endedSessionDays),
  REDRESS_IDEMPOTENCY_WINDOW_HOURS: z.coerce
    .number()
    .int()
    .min(MIN_IDEMPOTENCY_HOURS, `must be at least ${MIN_IDEMPOTENCY_HOURS} hours`)
    .default(DEFAULT_RETENTION.idempotencyHours),
  REDRESS_RETENTION_BATCH: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_RETENTION.batchSize),
};

type RetentionVariables = {
  [K in keyof typeof RETENTION_VARIABLES]: z.infer<(typeof RETENTION_VARIABLES)[K]>;
};

export function retentionConfig(env: RetentionVariables): RetentionPolicy {
  return {
    deliveredMessageDays: env.REDRESS_RETAIN_DELIVERED_MESSAGES_DAYS,
    webhookAttemptDays: env.REDRESS_RETAIN_WEBHOOK_ATTEMPTS_DAYS,
    firedTimerDays: env.REDRESS_RETAIN_FIRED_TIMERS_DAYS,
    endedSessionDays: env.REDRESS_RETAIN_ENDED_SESSIONS_DAYS,
    idempotencyHours: env.REDRESS_IDEMPOTENCY_WINDOW_HOURS,
    batchSize: env.REDRESS_RETENTION_BATCH,
  };
}
