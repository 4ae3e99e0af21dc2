import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- How a marketplace speaks to people: the language of a new customer's e-mails and the
    -- way dates and money are written (BCP 47: en-US, en-GB, de-DE).
    alter table marketplaces add column locale text;
    update marketplaces set locale = 'en-' || region;
    alter table marketplaces alter column locale set not null;

    -- A seller keeps one identity (one id, one party) wherever it sells; this lists every
    -- marketplace it sells in, its home marketplace (sellers.marketplace_id) among them. Its
    -- ledger accounts are per marketplace, so each is in that marketplace's currency.
    create table seller_marketplaces (
      seller_id text not null references sellers (id),
      marketplace_id text not null references marketplaces (id),
      created_at timestamptz not null,
      primary key (seller_id, marketplace_id)
    );
    create index seller_marketplaces_marketplace on seller_marketplaces (marketplace_id);
    insert into seller_marketplaces (seller_id, marketplace_id, created_at)
      select id, marketplace_id, created_at from sellers;
  `.execute(db);
}
