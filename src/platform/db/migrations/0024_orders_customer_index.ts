import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- orders_customer (customer_id) is a prefix of orders_customer_count (customer_id, created_at),
    -- which serves every lookup by customer the first one did; it only cost each order written
    -- (an import's every row) one more index insert. Dropping an index changes no result, so the
    -- previous release's processes keep working during a rolling upgrade.
    drop index orders_customer;
  `.execute(db);
}
