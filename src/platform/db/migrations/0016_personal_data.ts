import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Data keys, each wrapped by the master key: one per customer ('customer:<id>') and one for
    -- the blind indexes ('blind-index'). Erasure destroys a customer's key: its sealed values
    -- (names, e-mails, narratives) can then never be opened again.
    create table data_keys (
      owner text primary key,
      wrapped_key text,
      master_key_id text,
      destroyed_at timestamptz,
      check ((wrapped_key is null) = (destroyed_at is not null)),
      check ((wrapped_key is null) = (master_key_id is null))
    );
    create index data_keys_master on data_keys (master_key_id) where wrapped_key is not null;

    -- Keyed blind indexes (HMAC) of the sealed name and e-mail: exact-match search without the
    -- plaintext. erased_at marks a customer whose personal data was crypto-shredded.
    alter table customers add column name_index text;
    alter table customers add column email_index text;
    alter table customers add column erased_at timestamptz;
    create index customers_name_index on customers (marketplace_id, name_index);
    create index customers_email_index on customers (marketplace_id, email_index);

    -- Who erased whose personal data, when and why: kept for as long as the ledger is.
    create table personal_data_erasures (
      id text primary key,
      customer_id text not null references customers(id),
      actor_role text not null,
      actor_id text,
      request_id text,
      reason text not null,
      claim_ids jsonb not null,
      evidence_files_deleted int not null,
      mail_files_deleted int not null,
      erased_at timestamptz not null
    );
    create index personal_data_erasures_customer on personal_data_erasures (customer_id);
  `.execute(db);
}
