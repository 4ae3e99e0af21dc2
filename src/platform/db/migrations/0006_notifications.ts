import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table outbox add column fanned_out_at timestamptz;
    alter table outbox add column relayed_at timestamptz;
    create index outbox_unfanned on outbox (id) where fanned_out_at is null;
    create index outbox_unrelayed on outbox (id) where relayed_at is null;

    alter table customers add column language text not null default 'en';
    alter table experts add column email text;

    create table webhook_endpoints (
      id text primary key,
      owner_role text not null check (owner_role in ('admin','seller','insurer')),
      -- the marketplace for an admin's endpoint, the seller or insurer for theirs
      owner_id text not null,
      url text not null,
      event_types jsonb not null,
      -- Needed in clear to sign each delivery (Standard Webhooks uses a shared secret).
      secret text not null,
      active boolean not null default true,
      created_at timestamptz not null
    );
    create index webhook_endpoints_owner on webhook_endpoints (owner_role, owner_id);

    create table webhook_deliveries (
      id text primary key,
      endpoint_id text not null references webhook_endpoints(id),
      outbox_id bigint not null references outbox(id),
      message_id text not null,
      event_type text not null,
      aggregate_id text not null,
      status text not null check (status in ('pending','delivering','delivered','dead')),
      attempts int not null default 0,
      -- attempts made before the latest replay: each replay starts a fresh retry schedule
      replayed_after int not null default 0,
      next_attempt_at timestamptz,
      lease_until timestamptz,
      last_status int,
      last_error text,
      created_at timestamptz not null,
      delivered_at timestamptz,
      unique (endpoint_id, outbox_id)
    );
    create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status in ('pending','delivering');
    create index webhook_deliveries_order on webhook_deliveries (endpoint_id, aggregate_id, outbox_id) where status in ('pending','delivering');

    create table webhook_attempts (
      delivery_id text not null references webhook_deliveries(id),
      attempt int not null,
      at timestamptz not null,
      status_code int,
      error text,
      duration_ms int not null,
      response_excerpt text,
      primary key (delivery_id, attempt)
    );

    create table mail_deliveries (
      id text primary key,
      outbox_id bigint not null references outbox(id),
      recipient_role text not null,
      recipient_id text not null,
      to_address text not null,
      language text not null,
      template text not null,
      status text not null check (status in ('pending','sent','dead')),
      attempts int not null default 0,
      next_attempt_at timestamptz,
      last_error text,
      created_at timestamptz not null,
      sent_at timestamptz,
      unique (outbox_id, recipient_role, recipient_id)
    );
    create index mail_deliveries_due on mail_deliveries (next_attempt_at) where status = 'pending';
  `.execute(db);
}
