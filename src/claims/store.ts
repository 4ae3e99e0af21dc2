import type { Selectable } from 'kysely';
import type { ClaimsTable } from '../platform/db/database.ts';
import { json, type Queryable } from '../platform/db/sql.ts';
import {
  type KeyScope,
  openPersonal,
  openPersonalJson,
  sealPersonal,
  sealPersonalJson,
} from '../privacy/data-keys.ts';
import { OPEN_STATUSES } from './lifecycle.ts';

/** All SQL about claims and their evidence; the history lives in history.ts. */

export type ClaimRow = Selectable<ClaimsTable>;

/**
 * The claim's narrative and itemised losses are personal data, stored sealed with the
 * customer's key (src/privacy/data-keys.ts); every claim read from the table passes through
 * here, so the rest of the code sees plain values. After an erasure they read "[erased]" and
 * no itemised losses (the amounts stay on the claim and in the ledger).
 */
export async function openClaim(db: Queryable, row: ClaimRow, scope?: KeyScope): Promise<ClaimRow> {
  const { id, customer_id: customerId } = row;
  return {
    ...row,
    description: await openPersonal(db, customerId, claimField(id, 'description'), row.description, scope),
    damages: await openPersonalJson(db, customerId, claimField(id, 'damages'), row.damages, [], scope),
  };
}

/** The associated data of a claim's sealed field: a value cannot be moved to another claim. */
export const claimField = (claimId: string, field: 'description' | 'damages' | 'event') =>
  `claim:${claimId}:${field}`;

export async function sealClaimDescription(db: Queryable, claim: ClaimKey, description: string) {
  return sealPersonal(db, claim.customerId, claimField(claim.id, 'description'), description);
}

export async function sealClaimDamages(db: Queryable, claim: ClaimKey, damages: unknown) {
  return json(await sealPersonalJson(db, claim.customerId, claimField(claim.id, 'damages'), damages));
}

interface ClaimKey {
  id: string;
  customerId: string;
}

const openIfFound = async (db: Queryable, row: ClaimRow | undefined) =>
  row ? openClaim(db, row) : undefined;

export const findClaim = async (db: Queryable, id: string) =>
  openIfFound(db, await db.selectFrom('claims').selectAll().where('id', '=', id).executeTakeFirst());

/** Locks the claim for the rest of the transaction: every change to a claim starts here. */
export const lockClaim = async (db: Queryable, id: string) =>
  openIfFound(
    db,
    await db.selectFrom('claims').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
  );

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
  const rows = await query.orderBy('id', 'desc').limit(filter.limit).execute();
  const page: KeyScope = {};
  return Promise.all(rows.map((row) => openClaim(db, row, page)));
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
