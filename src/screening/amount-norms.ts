import { sql } from 'kysely';
import { CLAIM_TYPES } from '../claims/claim-request.schemas.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db/sql.ts';

/**
 * The usual amount of a product category's claims of one type: the 90th percentile of its last
 * 1,000 claims, read by the `amount_above_category_norm` signal once 20 or more exist.
 *
 * Sorting a thousand claims cost each filing about 3 ms of PostgreSQL time (docs/performance.md),
 * so the worker keeps the figures in `category_amount_norms` and a filing reads one row. They are
 * at most NORM_MAX_AGE_MS old, plus one worker pass: a category's 90th percentile over a
 * thousand claims moves little in that time, and the signal asks for three times it. A running
 * figure updated by each filing would be fresher, but every filing of a category would queue on
 * its row. Until the worker's first pass (a new database) there is no norm and the signal is
 * silent, as it is for a category with fewer than 20 claims.
 */
export const NORM_MAX_AGE_MS = 10 * 60_000;
export const NORM_MIN_CLAIMS = 20;
const NORM_SAMPLE = 1000;

/** The facts statement's column (facts-store.ts): the category's norm, or null. */
export const categoryNormFact = (category: string | null, claimType: string) => sql`
  (select json_build_object('p90', p90, 'claims', claims) from category_amount_norms
    where category = ${category} and claim_type = ${claimType})`;

/**
 * A worker pass: recomputes every category's norms when the newest is older than
 * NORM_MAX_AGE_MS (one indexed read otherwise). Returns the norms it wrote: the worker runs
 * another round of every job while any returns more than nothing (platform/jobs.ts), so on a
 * database with no products, where there is nothing to write, it must return 0. It returned 1
 * there, and each poll ran all 20 rounds: 80 transactions a second on an idle new install.
 */
export async function refreshAmountNorms(ctx: Pick<AppContext, 'db' | 'clock'>): Promise<number> {
  const now = ctx.clock.now();
  const newest = await ctx.db
    .selectFrom('category_amount_norms')
    .select('computed_at')
    .orderBy('computed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (newest && now.getTime() - newest.computed_at.getTime() < NORM_MAX_AGE_MS) return 0;
  return computeAmountNorms(ctx.db, now);
}

/**
 * Every category with products, for each claim type: a row even with no claims, so a pass is not
 * repeated. Returns the rows written.
 */
export async function computeAmountNorms(db: Queryable, now: Date): Promise<number> {
  const written = await sql`
    insert into category_amount_norms (category, claim_type, p90, claims, computed_at)
    select categories.category, types.claim_type, recent.p90, recent.claims, ${now}
    from (select distinct category from products) categories
    cross join (values ${sql.join(CLAIM_TYPES.map((t) => sql`(${t})`))}) types(claim_type)
    cross join lateral (
      select percentile_cont(0.9) within group (order by amount) as p90, count(*)::int as claims from (
        select c.amount from claims c join products p on p.id = c.product_id
        where p.category = categories.category and c.type = types.claim_type
        order by c.id desc limit ${NORM_SAMPLE}) sample) recent
    on conflict (category, claim_type) do update
      set p90 = excluded.p90, claims = excluded.claims, computed_at = excluded.computed_at`.execute(db);
  return Number(written.numAffectedRows ?? 0);
}
