import { type Kysely, sql } from 'kysely';

/** Indexes for the metrics scrape and the retention worker, so neither scans a growing table. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Metrics: screening outcomes and dead letters, counted from small partial indexes.
    create index claim_events_screened on claim_events (reason) where type = 'claim.screened';
    create index webhook_deliveries_dead on webhook_deliveries (endpoint_id) where status = 'dead';

    -- Retention: each prunable table is read oldest first by the column its policy ages.
    create index timers_fired on timers (fired_at) where fired_at is not null;
    create index webhook_attempts_at on webhook_attempts (at);
    create index sessions_expires on sessions (expires_at);
    create index idempotency_keys_created on idempotency_keys (created_at);
    -- Deleting an outbox row checks the deliveries that reference it; without this, a scan each.
    create index webhook_deliveries_outbox on webhook_deliveries (outbox_id);
  `.execute(db);
}
