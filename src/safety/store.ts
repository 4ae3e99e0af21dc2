import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type {
  ClaimHazardsTable,
  RecallNoticesTable,
  RecallsTable,
  RegulatorReportsTable,
  SafetyAlertsTable,
} from '../platform/db/database.ts';
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

/** Claims awaiting hazard coding by a person, with their narrative, for the coding queue. */
export const pendingHazardCoding = (db: Queryable) =>
  db
    .selectFrom('claim_hazards')
    .innerJoin('claims', 'claims.id', 'claim_hazards.claim_id')
    .selectAll('claim_hazards')
    .select(['claim_hazards.claim_id as id', 'claims.description'])
    .where('claim_hazards.review_status', '=', 'pending');
