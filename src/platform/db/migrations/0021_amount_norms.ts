import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A product category's usual claim amount per claim type (the 90th percentile of its last
    -- 1,000 claims), kept by the worker (screening/amount-norms.ts, at most ten minutes old) so
    -- that a filing reads one row instead of sorting a thousand claims.
    create table category_amount_norms (
      category text not null,
      claim_type text not null,
      p90 double precision,
      claims int not null,
      computed_at timestamptz not null,
      primary key (category, claim_type)
    );
    create index category_amount_norms_computed on category_amount_norms (computed_at);
  `.execute(db);
}
