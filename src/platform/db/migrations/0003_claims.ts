import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table claims (
      id text primary key,
      marketplace_id text not null references marketplaces(id),
      order_id text not null,
      line_id text not null,
      customer_id text not null references customers(id),
      seller_id text references sellers(id),
      product_id text references products(id),
      type text not null check (type in ('property_damage','personal_injury')),
      incident_at timestamptz not null,
      description text not null,
      amount bigint not null,
      approved_amount bigint,
      currency text not null,
      damages jsonb not null,
      status text not null,
      payer text check (payer in ('marketplace','seller','insurer')),
      step_in boolean not null default false,
      policy_version_id text not null references policy_versions(id),
      policy_version int not null,
      denial_reason text,
      review_kind text,
      risk jsonb,
      seller_response jsonb,
      seller_notified_at timestamptz,
      seller_deadline timestamptz,
      info_deadline timestamptz,
      appeal_deadline timestamptz,
      appealed_at timestamptz,
      decided_at timestamptz,
      filed_at timestamptz not null,
      filed_by_role text not null,
      filed_by_id text,
      updated_at timestamptz not null,
      last_event_seq int not null default 0,
      last_event_hash text not null default ''
    );
    create index claims_status on claims (status, id);
    create index claims_seller on claims (seller_id, id);
    create index claims_customer on claims (customer_id, id);
    create index claims_line on claims (order_id, line_id);

    -- The claim's history: append-only, each event chained to the previous by its hash.
    create table claim_events (
      claim_id text not null references claims(id),
      seq int not null,
      id text not null unique,
      type text not null,
      at timestamptz not null,
      actor_role text not null,
      actor_id text,
      request_id text,
      reason text,
      data jsonb not null,
      prev_hash text not null,
      hash text not null,
      primary key (claim_id, seq)
    );

    create table evidence (
      id text primary key,
      claim_id text not null references claims(id),
      sha256 text not null,
      media_type text not null,
      size_bytes int not null,
      filename text,
      purpose text not null,
      uploaded_by_role text not null,
      uploaded_by_id text,
      created_at timestamptz not null
    );
    create index evidence_claim on evidence (claim_id);
    create index evidence_sha on evidence (sha256);
  `.execute(db);
}
