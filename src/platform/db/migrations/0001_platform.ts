import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table api_keys (
      id text primary key,
      secret_sha256 text not null unique,
      role text not null check (role in ('admin','agent','customer','seller','insurer','expert')),
      party_id text,
      label text,
      created_at timestamptz not null,
      revoked_at timestamptz
    );

    -- One row: the moved time of a test clock, so a restart or a second process sees the same "now".
    create table test_clock (
      id int primary key check (id = 1),
      now timestamptz not null
    );

    create table idempotency_keys (
      principal text not null,
      operation text not null,
      key text not null,
      request_sha256 text not null,
      response_status int,
      response_body jsonb,
      created_at timestamptz not null,
      primary key (principal, operation, key)
    );

    -- Messages written in the same transaction as the change that causes them (transactional outbox).
    create table outbox (
      id bigserial primary key,
      event_id text not null unique,
      event_type text not null,
      marketplace_id text,
      aggregate_type text not null,
      aggregate_id text not null,
      payload jsonb not null,
      created_at timestamptz not null
    );
    create index outbox_aggregate on outbox (aggregate_type, aggregate_id, id);

    -- Deadlines. Workers claim due rows with FOR UPDATE SKIP LOCKED, so many may run side by side.
    create table timers (
      id bigserial primary key,
      kind text not null,
      subject_id text not null,
      due_at timestamptz not null,
      created_at timestamptz not null,
      fired_at timestamptz,
      outcome text
    );
    create index timers_due on timers (due_at) where fired_at is null;
    create index timers_subject on timers (subject_id);
  `.execute(db);
}
