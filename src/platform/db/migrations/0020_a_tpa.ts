import { type Kysely, sql } from 'kysely';

/**
 * Third-party administrators and the filing channel.
 *
 * A TPA is an outside firm that works a marketplace's claims as its claims agent. Which
 * marketplaces it acts for is a row per pair (tpa_marketplaces), read on every request the TPA
 * makes, so an unassignment takes effect at the next request; every assignment and
 * unassignment is also appended to tpa_assignment_log (who, when, why), never updated.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table tpas (
      id text primary key,
      name text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create table tpa_marketplaces (
      tpa_id text not null references tpas (id),
      marketplace_id text not null references marketplaces (id),
      assigned_at timestamptz not null,
      assigned_by_role text not null,
      assigned_by_id text,
      primary key (tpa_id, marketplace_id)
    );
    create table tpa_assignment_log (
      id text primary key,
      tpa_id text not null references tpas (id),
      marketplace_id text not null references marketplaces (id),
      action text not null check (action in ('assigned', 'unassigned')),
      reason text,
      at timestamptz not null,
      actor_role text not null,
      actor_id text
    );
    create index tpa_assignment_log_tpa on tpa_assignment_log (tpa_id, at);

    alter table api_keys drop constraint api_keys_role_check;
    alter table api_keys add constraint api_keys_role_check
      check (role in ('admin','agent','tpa','customer','seller','insurer','expert'));

    -- How the claim reached the marketplace: the claimant itself (web, api) or an agent taking
    -- it down for the claimant (phone, email, letter, chat). Claims filed before are null.
    alter table claims add column channel text
      check (channel in ('web','api','phone','email','letter','chat'));
  `.execute(db);
}
