import type { Selectable } from 'kysely';
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
import { json, type Queryable } from '../platform/db/sql.ts';

/** All SQL about hazards, safety alerts, regulator reports and recalls. */

export type ClaimHazardRow = Selectable<ClaimHazardsTable>;
export type SafetyAlertRow = Selectable<SafetyAlertsTable>;
export type RegulatorReportRow = Selectable<RegulatorReportsTable>;
export type RecallRow = Selectable<RecallsTable>;
export type RecallNoticeRow = Selectable<RecallNoticesTable>;

const DAY_MS = 86_400_000;

/** Units of a product sold, from its order lines. */
export async function unitsSold(db: Queryable, productId: string): Promise<number> {
  const row = await db
    .selectFrom('order_lines')
    .select(sql<number>`coalesce(sum(quantity), 0)::bigint`.as('units'))
    .where('product_id', '=', productId)
    .executeTakeFirst();
  return Number(row?.units ?? 0);
}

/** Claims of one hazard on one product since a moment, in all and those of personal injury. */
export async function productHazardCounts(
  db: Queryable,
  productId: string,
  hazard: string,
  since: { cluster: Date; rate: Date },
): Promise<{ injuryInCluster: number; inRateWindow: number }> {
  const row = await sql<{ injury: number; rated: number }>`
    select
      count(*) filter (where ch.filed_at >= ${since.cluster} and c.type = 'personal_injury')::int as injury,
      count(*) filter (where ch.filed_at >= ${since.rate})::int as rated
    from claim_hazards ch
    join claims c on c.id = ch.claim_id
    where ch.product_id = ${productId} and ch.hazard = ${hazard}
      and ch.filed_at >= ${since.cluster < since.rate ? since.cluster : since.rate}
  `.execute(db);
  return { injuryInCluster: Number(row.rows[0]?.injury ?? 0), inRateWindow: Number(row.rows[0]?.rated ?? 0) };
}

/**
 * A product category's units sold and its claims per hazard since a moment, cached for a day:
 * both move slowly across a category, and counting them costs a scan of its orders and claims.
 */
export async function categoryTotals(
  db: Queryable,
  key: { marketplaceId: string; category: string },
  window: { since: Date; now: Date },
): Promise<{ units: number; claimsByHazard: Record<string, number> }> {
  const cached = await db
    .selectFrom('category_baselines')
    .selectAll()
    .where('marketplace_id', '=', key.marketplaceId)
    .where('category', '=', key.category)
    .executeTakeFirst();
  if (cached && window.now.getTime() - cached.computed_at.getTime() < DAY_MS) {
    return { units: Number(cached.units), claimsByHazard: cached.claims_by_hazard };
  }
  const units = await sql<{ units: number }>`
    select coalesce(sum(ol.quantity), 0)::bigint as units
    from order_lines ol
    join products p on p.id = ol.product_id
    join sellers s on s.id = p.seller_id
    where p.category = ${key.category} and s.marketplace_id = ${key.marketplaceId}
  `.execute(db);
  const claims = await db
    .selectFrom('claim_hazards')
    .select(['hazard', sql<number>`count(*)::int`.as('n')])
    .where('marketplace_id', '=', key.marketplaceId)
    .where('category', '=', key.category)
    .where('filed_at', '>=', window.since)
    .groupBy('hazard')
    .execute();
  const totals = {
    units: Number(units.rows[0]?.units ?? 0),
    claimsByHazard: Object.fromEntries(claims.map((c) => [c.hazard, Number(c.n)])),
  };
  const row = { units: totals.units, claims_by_hazard: json(totals.claimsByHazard), computed_at: window.now };
  await db
    .insertInto('category_baselines')
    .values({ marketplace_id: key.marketplaceId, category: key.category, ...row })
    .onConflict((oc) => oc.columns(['marketplace_id', 'category']).doUpdateSet(row))
    .execute();
  return totals;
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
