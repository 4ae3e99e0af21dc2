import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- API keys may end on their own (expiry, or the overlap window after a rotation), and say when
    -- they were last used (written at most once a minute per key, not on every request).
    alter table api_keys add column expires_at timestamptz;
    alter table api_keys add column last_used_at timestamptz;
    alter table api_keys add column replaced_by text references api_keys(id);

    -- Identity hashes are keyed (HMAC-SHA256 with a server secret); each row says which key made
    -- it, and only hashes made with the same key are compared. Rows written before keying are
    -- plain SHA-256 ('sha256'); the server re-keys them at start-up.
    alter table customer_identities add column key_id text not null default 'sha256';
    alter table seller_identities add column key_id text not null default 'sha256';
    alter table customer_identities alter column key_id drop default;
    alter table seller_identities alter column key_id drop default;
    drop index customer_identities_value;
    drop index seller_identities_value;
    create index customer_identities_value on customer_identities (kind, key_id, value_hash);
    create index seller_identities_value on seller_identities (kind, key_id, value_hash);
    -- The start-up re-keying looks for legacy rows at every start: without these it would scan.
    create index customer_identities_legacy on customer_identities (customer_id) where key_id = 'sha256';
    create index seller_identities_legacy on seller_identities (seller_id) where key_id = 'sha256';
  `.execute(db);
}
