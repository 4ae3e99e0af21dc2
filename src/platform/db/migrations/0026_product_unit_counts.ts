import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A product's units sold, for the safety rate rule at every filing with a hazard
    -- (safety/store.ts productSafetyCounts), counted afresh at most daily once the product has
    -- sold a few thousand: summing its order lines at each filing cost 75 ms for a product with a
    -- million of them (docs/performance.md, sixth session). A running counter would be fresher,
    -- but every order import of a bestseller would queue on its row. Keyed by marketplace first,
    -- as the other claim-path tables, for Citus (docs/scaling.md).
    create table product_unit_counts (
      marketplace_id text not null references marketplaces(id),
      product_id text not null references products(id),
      units bigint not null,
      computed_at timestamptz not null,
      primary key (marketplace_id, product_id)
    );
  `.execute(db);
}
