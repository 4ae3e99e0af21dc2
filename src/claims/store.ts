import type { Selectable } from 'kysely';
import type { ClaimsTable } from '../platform/db/database.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { OPEN_STATUSES } from './lifecycle.ts';

/** All SQL about claims and their evidence; the history lives in history.ts. */

export type ClaimRow = Selectable<ClaimsTable>;

export const findClaim = (db: Queryable, id: string) =>
  db.selectFrom('claims').selectAll().where('id', '=', id).executeTakeFirst();

/** Locks the claim for the rest of the transaction: every change to a claim starts here. */
export const lockClaim = (db: Queryable, id: string) =>
  db.selectFrom('claims').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export async function hasOtherOpenClaimOnLine(
  db: Queryable,
  line: { orderId: string; lineId: string; exceptClaimId: string },
): Promise<boolean> {
  const row = await db
    .selectFrom('claims')
    .select('id')
    .where('order_id', '=', line.orderId)
    .where('line_id', '=', line.lineId)
    .where('id', '!=', line.exceptClaimId)
    .where('status', 'in', OPEN_STATUSES)
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}

export interface ClaimListFilter {
  /** Any of these statuses; an empty list matches nothing. */
  statuses?: readonly string[];
  sellerId?: string;
  customerId?: string;
  /** Sellers see only claims they have been told about. */
  onlyNotifiedToSeller?: boolean;
  cursor?: string;
  limit: number;
}

/** Newest first; the cursor is the last id of the previous page (ids sort by time). */
export async function listClaims(db: Queryable, filter: ClaimListFilter): Promise<ClaimRow[]> {
  let query = db.selectFrom('claims').selectAll();
  if (filter.statuses) {
    if (filter.statuses.length === 0) return [];
    query = query.where('status', 'in', filter.statuses);
  }
  if (filter.sellerId) query = query.where('seller_id', '=', filter.sellerId);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.onlyNotifiedToSeller) query = query.where('seller_notified_at', 'is not', null);
  if (filter.cursor) query = query.where('id', '<', filter.cursor);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

export const findEvidence = (db: Queryable, claimId: string) =>
  db.selectFrom('evidence').selectAll().where('claim_id', '=', claimId).orderBy('id').execute();

export const marketplaceTimeZone = async (db: Queryable, marketplaceId: string) =>
  (
    await db
      .selectFrom('marketplaces')
      .select('time_zone')
      .where('id', '=', marketplaceId)
      .executeTakeFirstOrThrow()
  ).time_zone;
