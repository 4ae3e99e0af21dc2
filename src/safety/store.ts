import type { RawBuilder, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Principal } from '../platform/auth/roles.ts';
import type {
  ClaimHazardsTable,
  PublicRecallsTable,
  RecallNoticesTable,
  RecallsTable,
  RegulatorReportsTable,
  SafetyAlertsTable,
} from '../platform/db/database.ts';
import { fetchPage, type PageRequest } from '../platform/db/paging.ts';
import type { Queryable } from '../platform/db/sql.ts';

/** All SQL about hazards, safety alerts, regulator reports and recalls. */

export type ClaimHazardRow = Selectable<ClaimHazardsTable>;
export type SafetyAlertRow = Selectable<SafetyAlertsTable>;
export type RegulatorReportRow = Selectable<RegulatorReportsTable>;
export type RecallRow = Selectable<RecallsTable>;
export type RecallNoticeRow = Selectable<RecallNoticesTable>;

const DAY_MS = 86_400_000;
/** The advisory lock class under which one filing at a time stores a category's totals. */
const CATEGORY_TOTALS_LOCK = 7_261_002;
/** The same for a product's units sold. */
const PRODUCT_UNITS_LOCK = 7_261_003;
/**
 * A product's units sold are counted at every filing while below this (at most this many order
 * lines, about a millisecond), and kept for a day above it: a bestseller's count moves little in a
 * day, and summing a million lines cost 75 ms a filing (docs/performance.md, sixth session).
 */
export const PRODUCT_UNITS_KEPT_FROM = 5_000;

/** A product's units sold, summed from its order lines: one row, `units`. */
const summedProductUnits = (productId: string | RawBuilder<unknown>) =>
  sql<{
    units: number;
  }>`select coalesce(sum(quantity), 0)::bigint as units from order_lines where product_id = ${productId}`;

/** Units of a product sold, from its order lines. */
export async function unitsSold(db: Queryable, productId: string): Promise<number> {
  const { rows } = await summedProductUnits(productId).execute(db);
  return Number(rows[0]?.units ?? 0);
}

/**
 * A product category's units sold and its claims per hazard since a moment, cached for a day:
 * both move slowly across a category, and counting them costs a scan of its orders and claims.
 */
export async function categoryTotals(
  db: Queryable,
  key: { marketplaceId: string; category: string },
  window: { since: Date; now: Date },
): Promise<CategoryTotals> {
  const row = await sql<CategoryTotalsRow>`
    ${categoryTotalsCtes(key, window)}
    select units, claims_by_hazard from category_totals`.execute(db);
  return categoryTotalsOf(row.rows[0]);
}

/**
 * A product's units sold as `product_unit_counts` keeps them: a row while kept within the day
 * (from PRODUCT_UNITS_KEPT_FROM units on), none otherwise, when they are to be summed afresh.
 */
const keptProductUnits = (marketplaceId: string, productId: string | RawBuilder<unknown>, now: Date) => sql<{
  units: number;
}>`select units from product_unit_counts
      where marketplace_id = ${marketplaceId} and product_id = ${productId}
        and computed_at > ${new Date(now.getTime() - DAY_MS)} and units >= ${PRODUCT_UNITS_KEPT_FROM}`;

/** A product's units sold, as kept for the day when they are, else summed (an expression). */
export const productUnits = (marketplaceId: string, productId: string | RawBuilder<unknown>, now: Date) =>
  sql<number>`coalesce((${keptProductUnits(marketplaceId, productId, now)}), (${summedProductUnits(productId)}))`;

/**
 * What a product's thresholds need, in one statement: its claims of the hazard in the cluster
 * and rate windows, its units sold, and its category's totals (cached for a day, as
 * `categoryTotals`; recomputed and stored by the same statement when the cache is stale). The
 * units sold are kept for a day from PRODUCT_UNITS_KEPT_FROM on (`product_unit_counts`), counted
 * afresh below it, and stored by one filing at a time as the category's are.
 */
export async function productSafetyCounts(
  db: Queryable,
  key: { productId: string; hazard: string; marketplaceId: string; category: string },
  window: { cluster: Date; rate: Date; now: Date },
): Promise<{ injuryInCluster: number; inRateWindow: number; units: number; category: CategoryTotals }> {
  const earliest = window.cluster < window.rate ? window.cluster : window.rate;
  const result = await sql<CategoryTotalsRow & { injury: number; rated: number; product_units: number }>`
    ${categoryTotalsCtes(key, { since: window.rate, now: window.now })},
    product_claims as (
      select
        count(*) filter (where ch.filed_at >= ${window.cluster} and c.type = 'personal_injury')::int as injury,
        count(*) filter (where ch.filed_at >= ${window.rate})::int as rated
      from claim_hazards ch
      join claims c on c.id = ch.claim_id
      where ch.product_id = ${key.productId} and ch.hazard = ${key.hazard} and ch.filed_at >= ${earliest}),
    product_cached as (${keptProductUnits(key.marketplaceId, key.productId, window.now)}),
    product_fresh as (
      select (${summedProductUnits(key.productId)}) as units where not exists (select 1 from product_cached)),
    product_stored as (
      insert into product_unit_counts (marketplace_id, product_id, units, computed_at)
      select ${key.marketplaceId}, ${key.productId}, units, ${window.now} from product_fresh
      where units >= ${PRODUCT_UNITS_KEPT_FROM}
        and pg_try_advisory_xact_lock(${PRODUCT_UNITS_LOCK}, hashtext(${key.marketplaceId} || '/' || ${key.productId}))
      on conflict (marketplace_id, product_id) do update
        set units = excluded.units, computed_at = excluded.computed_at)
    select t.units, t.claims_by_hazard, pc.injury, pc.rated,
      (select units from product_cached union all select units from product_fresh) as product_units
    from product_claims pc left join category_totals t on true`.execute(db);
  const row = result.rows[0];
  return {
    injuryInCluster: Number(row?.injury ?? 0),
    inRateWindow: Number(row?.rated ?? 0),
    units: Number(row?.product_units ?? 0),
    category: categoryTotalsOf(row),
  };
}

type CategoryTotals = { units: number; claimsByHazard: Record<string, number> };
type CategoryTotalsRow = { units: number | null; claims_by_hazard: Record<string, number> | null };

const categoryTotalsOf = (row: CategoryTotalsRow | undefined): CategoryTotals => ({
  units: Number(row?.units ?? 0),
  claimsByHazard: row?.claims_by_hazard ?? {},
});

/**
 * The category's cached totals if computed within the day, else counted afresh and upserted by a
 * data-modifying CTE of the same statement (`fresh` is empty when the cache is good, so nothing
 * is counted or written then). Ends in a CTE `category_totals` of exactly one row.
 *
 * Only the filing that wins a transaction-level advisory lock on the category stores the count:
 * the others that find the cache stale at the same moment count for themselves and store nothing.
 * Before, each of them upserted the same row and waited for the first one's whole filing to
 * commit (an insert waits on a conflicting row not yet committed): at a new category, and again
 * each day it went stale, concurrent filings of a category queued behind each other, up to
 * 460 ms in the intake bench.
 */
function categoryTotalsCtes(
  key: { marketplaceId: string; category: string },
  window: { since: Date; now: Date },
) {
  const dayAgo = new Date(window.now.getTime() - DAY_MS);
  return sql`with cached as (
      select units, claims_by_hazard from category_baselines
      where marketplace_id = ${key.marketplaceId} and category = ${key.category} and computed_at > ${dayAgo}),
    fresh as (
      select
        (select coalesce(sum(ol.quantity), 0)::bigint
          from order_lines ol
          join products p on p.id = ol.product_id
          join sellers s on s.id = p.seller_id
          where p.category = ${key.category} and s.marketplace_id = ${key.marketplaceId}) as units,
        (select coalesce(jsonb_object_agg(h.hazard, h.n), '{}'::jsonb) from (
          select hazard, count(*)::int as n from claim_hazards
          where marketplace_id = ${key.marketplaceId} and category = ${key.category} and filed_at >= ${window.since}
          group by hazard) h) as claims_by_hazard
      where not exists (select 1 from cached)),
    stored as (
      insert into category_baselines (marketplace_id, category, units, claims_by_hazard, computed_at)
      select ${key.marketplaceId}, ${key.category}, units, claims_by_hazard, ${window.now} from fresh
      where pg_try_advisory_xact_lock(${CATEGORY_TOTALS_LOCK}, hashtext(${key.marketplaceId} || '/' || ${key.category}))
      on conflict (marketplace_id, category) do update
        set units = excluded.units, claims_by_hazard = excluded.claims_by_hazard, computed_at = excluded.computed_at),
    category_totals as (
      select units, claims_by_hazard from cached union all select units, claims_by_hazard from fresh)`;
}

export const lockAlert = (db: Queryable, id: string) =>
  db.selectFrom('safety_alerts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const findAlert = (db: Queryable, id: string) =>
  db.selectFrom('safety_alerts').selectAll().where('id', '=', id).executeTakeFirst();

export const findReport = (db: Queryable, id: string) =>
  db.selectFrom('regulator_reports').selectAll().where('id', '=', id).executeTakeFirst();

export const lockReport = (db: Queryable, id: string) =>
  db.selectFrom('regulator_reports').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const findRecall = (db: Queryable, id: string) =>
  db.selectFrom('recalls').selectAll().where('id', '=', id).executeTakeFirst();

export const openRecallOf = (db: Queryable, productId: string) =>
  db
    .selectFrom('recalls')
    .selectAll()
    .where('product_id', '=', productId)
    .where('status', '=', 'open')
    .executeTakeFirst();

/** The claims behind an alert: one product's claims of a hazard since a moment, newest first. */
export async function productHazardClaimIds(
  db: Queryable,
  productId: string,
  hazard: string,
  since: Date,
  injuryOnly: boolean,
): Promise<string[]> {
  let query = db
    .selectFrom('claim_hazards')
    .innerJoin('claims', 'claims.id', 'claim_hazards.claim_id')
    .select('claim_hazards.claim_id')
    .where('claim_hazards.product_id', '=', productId)
    .where('claim_hazards.hazard', '=', hazard)
    .where('claim_hazards.filed_at', '>=', since);
  if (injuryOnly) query = query.where('claims.type', '=', 'personal_injury');
  const rows = await query.orderBy('claim_hazards.filed_at', 'desc').limit(500).execute();
  return rows.map((r) => r.claim_id);
}

/** One page of the claims awaiting hazard coding by a person, with their narrative: the coding queue. */
export const pendingHazardCoding = (db: Queryable, page: PageRequest) =>
  fetchPage(
    db
      .selectFrom('claim_hazards')
      .innerJoin('claims', 'claims.id', 'claim_hazards.claim_id')
      .selectAll('claim_hazards')
      .select(['claim_hazards.claim_id as id', 'claims.description'])
      .where('claim_hazards.review_status', '=', 'pending'),
    page,
    'claim_hazards.claim_id',
  );

/** One page of safety alerts, newest first, narrowed by status, product and hazard when given. */
export function listAlerts(
  db: Queryable,
  filter: { status?: string | undefined; productId?: string | undefined; hazard?: string | undefined },
  page: PageRequest,
) {
  let query = db.selectFrom('safety_alerts').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.productId) query = query.where('product_id', '=', filter.productId);
  if (filter.hazard) query = query.where('hazard', '=', filter.hazard);
  return fetchPage(query, page);
}

/** The regulator report drafted from each of these alerts, by alert id (an alert has at most one). */
export async function reportIdsByAlert(db: Queryable, alertIds: string[]): Promise<Map<string, string>> {
  if (alertIds.length === 0) return new Map();
  const reports = await db
    .selectFrom('regulator_reports')
    .select(['id', 'alert_id'])
    .where('alert_id', 'in', alertIds)
    .execute();
  return new Map(reports.map((r) => [r.alert_id, r.id]));
}

/** One page of regulator reports, newest first, of one status when given. */
export function listReports(db: Queryable, filter: { status?: string | undefined }, page: PageRequest) {
  let query = db.selectFrom('regulator_reports').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  return fetchPage(query, page);
}

/** One page of public-recall matches, newest first, narrowed by status and product when given. */
export function listPublicRecallMatches(
  db: Queryable,
  filter: { status?: 'pending' | 'confirmed' | 'rejected' | undefined; productId?: string | undefined },
  page: PageRequest,
) {
  let query = db.selectFrom('public_recall_matches').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.productId) query = query.where('product_id', '=', filter.productId);
  return fetchPage(query, page);
}

/** Public recall notices by id. */
export async function publicRecallsById(db: Queryable, ids: string[]) {
  if (ids.length === 0) return new Map<string, Selectable<PublicRecallsTable>>();
  const recalls = await db.selectFrom('public_recalls').selectAll().where('id', 'in', ids).execute();
  return new Map(recalls.map((r) => [r.id, r]));
}

/**
 * Whether this party may read the recall: staff every recall, a seller its products', a buyer
 * those it was notified of. Anyone else may not.
 */
export async function mayReadRecall(
  db: Queryable,
  principal: Principal,
  recall: RecallRow,
): Promise<boolean> {
  if (principal.role === 'admin' || principal.role === 'agent') return true;
  if (principal.role === 'seller') {
    const product = await db
      .selectFrom('products')
      .select('seller_id')
      .where('id', '=', recall.product_id)
      .executeTakeFirst();
    return product?.seller_id === principal.partyId;
  }
  if (principal.role === 'customer') {
    const notice = await db
      .selectFrom('recall_notices')
      .select('customer_id')
      .where('recall_id', '=', recall.id)
      .where('customer_id', '=', principal.partyId ?? '')
      .executeTakeFirst();
    return notice !== undefined;
  }
  return false;
}

/** One page of the recalls this party may read (see mayReadRecall), newest first. */
export function listReadableRecalls(db: Queryable, principal: Principal, page: PageRequest) {
  let query = db.selectFrom('recalls').selectAll('recalls');
  if (principal.role === 'seller') {
    query = query
      .innerJoin('products', 'products.id', 'recalls.product_id')
      .where('products.seller_id', '=', principal.partyId ?? '');
  }
  if (principal.role === 'customer') {
    query = query
      .innerJoin('recall_notices', 'recall_notices.recall_id', 'recalls.id')
      .where('recall_notices.customer_id', '=', principal.partyId ?? '');
  }
  return fetchPage(query, page, 'recalls.id');
}
