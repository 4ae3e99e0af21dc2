import { sql } from 'kysely';
import type { Db } from '../db/sql.ts';

export interface DomainSnapshot {
  claimsByStatus: Record<string, number>;
  screeningOutcomes: Record<string, number>;
  oldestUnfannedMessage: Date | null;
  oldestPendingWebhook: Date | null;
  oldestPendingMail: Date | null;
  oldestUnsettledPayout: Date | null;
  timersOverdue: number;
  oldestOverdueTimer: Date | null;
  webhooksRetrying: number;
  webhooksDead: number;
  mailsDead: number;
  safetyReportsOpen: number;
  nextSafetyReportDue: Date | null;
}

/**
 * Everything the domain gauges show, in one statement, each part read from an index (claims by
 * status, the partial indexes of unfinished outbox, delivery, payout and timer rows, and those
 * added by migration 0017). `now` is the injected clock's, so a test clock's overdue is overdue.
 */
export async function readDomainSnapshot(db: Db, now: Date): Promise<DomainSnapshot> {
  const { rows } = await sql<Record<string, unknown>>`
    select
      (select coalesce(json_object_agg(status, n), '{}') from
        (select status, count(*) as n from claims group by status) s) as claims_by_status,
      (select coalesce(json_object_agg(reason, n), '{}') from
        (select reason, count(*) as n from claim_events where type = 'claim.screened' group by reason) s) as screening_outcomes,
      (select min(created_at) from outbox where fanned_out_at is null) as oldest_unfanned,
      (select min(created_at) from webhook_deliveries where status in ('pending','delivering')) as oldest_webhook,
      (select min(created_at) from mail_deliveries where status = 'pending') as oldest_mail,
      (select min(created_at) from payouts where status in ('pending','executing')) as oldest_payout,
      (select count(*) from timers where fired_at is null and due_at < ${now}) as timers_overdue,
      (select min(due_at) from timers where fired_at is null and due_at < ${now}) as oldest_overdue_timer,
      (select count(*) from webhook_deliveries where status in ('pending','delivering') and attempts > 0) as webhooks_retrying,
      (select count(*) from webhook_deliveries where status = 'dead') as webhooks_dead,
      (select count(*) from mail_deliveries where status = 'dead') as mails_dead,
      (select count(*) from regulator_reports where status <> 'submitted') as reports_open,
      (select min(due_at) from regulator_reports where status <> 'submitted') as report_next_due
  `.execute(db);
  const r = rows[0] ?? {};
  const date = (value: unknown) => (value ? new Date(value as string | Date) : null);
  const counts = (value: unknown) =>
    (typeof value === 'string' ? JSON.parse(value) : (value ?? {})) as Record<string, number>;
  return {
    claimsByStatus: counts(r.claims_by_status),
    screeningOutcomes: counts(r.screening_outcomes),
    oldestUnfannedMessage: date(r.oldest_unfanned),
    oldestPendingWebhook: date(r.oldest_webhook),
    oldestPendingMail: date(r.oldest_mail),
    oldestUnsettledPayout: date(r.oldest_payout),
    timersOverdue: Number(r.timers_overdue),
    oldestOverdueTimer: date(r.oldest_overdue_timer),
    webhooksRetrying: Number(r.webhooks_retrying),
    webhooksDead: Number(r.webhooks_dead),
    mailsDead: Number(r.mails_dead),
    safetyReportsOpen: Number(r.reports_open),
    nextSafetyReportDue: date(r.report_next_due),
  };
}
