/**
 * The claims table's reads and the list query with every filter the console and the parties use
 * (one `filterClaims`, so a queue's count and its list cannot disagree). Just over 400 lines
 * because the filters live together; writes go through history.ts, the one write path.
 */
import { type Insertable, type Selectable, sql } from 'kysely';
import { allColumns } from '../platform/db/columns.ts';
import type { ClaimsTable } from '../platform/db/database.ts';
import { writeHeld } from '../platform/db/held-writes.ts';
import { reusableStatement } from '../platform/db/reusable-statement.ts';
import { json, jsonText, type Queryable } from '../platform/db/sql.ts';
import {
  blindIndexOf,
  type KeyScope,
  openPersonal,
  openPersonalJson,
  sealPersonal,
  sealPersonalJson,
  sharedKeyScope,
} from '../privacy/data-keys.ts';
import { OPEN_STATUSES } from './lifecycle.ts';

/** All SQL about claims and their evidence; the history lives in history.ts. */

export type ClaimRow = Selectable<ClaimsTable>;

/** A claim row's columns, for a statement kept prepared (platform/db/columns.ts). */
// biome-ignore format: column names, several to a line
export const CLAIM_COLUMNS = allColumns<ClaimsTable>()([
  'id', 'marketplace_id', 'order_id', 'line_id', 'customer_id', 'seller_id', 'product_id', 'type',
  'incident_at', 'description', 'amount', 'approved_amount', 'currency', 'damages', 'status',
  'payer', 'step_in', 'policy_version_id', 'policy_version', 'denial_reason', 'review_kind',
  'risk', 'seller_response', 'seller_notified_at', 'seller_deadline', 'info_deadline',
  'appeal_deadline', 'appealed_at', 'decided_at', 'filed_at', 'filed_by_role', 'filed_by_id',
  'updated_at', 'last_event_seq', 'last_event_hash', 'insurer_id', 'payment_deadline',
  'narrative_signature', 'covering_policy_id', 'recall_id', 'evidence_due_at', 'public_recall_id',
  'owner_id', 'owner_name', 'owner_since', 'review_due_at', 'review_escalated_at', 'channel',
  'matter_opened_at',
]);

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

const sealedDamages = (db: Queryable, claim: ClaimKey, damages: unknown) =>
  sealPersonalJson(db, claim.customerId, claimField(claim.id, 'damages'), damages);

export async function sealClaimDamages(db: Queryable, claim: ClaimKey, damages: unknown) {
  return json(await sealedDamages(db, claim, damages));
}

/** A new claim's row, its jsonb columns as JSON text (the statement is reused, below). */
export type NewClaim = Omit<Insertable<ClaimsTable>, 'damages' | 'narrative_signature'> & {
  damages: string;
  narrative_signature: string;
};

/**
 * Inserts a new claim and returns its row. Every filing runs it, with twenty-five values and
 * forty-nine columns back: built and compiled once per shape (reusable-statement.ts).
 */
export const insertClaim = reusableStatement((db, claim: NewClaim) =>
  db
    .insertInto('claims')
    .values({
      ...claim,
      damages: jsonText(claim.damages),
      narrative_signature: jsonText(claim.narrative_signature),
    })
    // Named, not `*`, so the statement is kept prepared (platform/db/columns.ts).
    .returning(CLAIM_COLUMNS),
);

/** Seals a new claim's itemised losses for `insertClaim`: the sealed value as JSON text. */
export async function sealNewClaimDamages(db: Queryable, claim: ClaimKey, damages: unknown) {
  return JSON.stringify(await sealedDamages(db, claim, damages));
}

interface ClaimKey {
  id: string;
  customerId: string;
}

const openIfFound = async (db: Queryable, row: ClaimRow | undefined, scope?: KeyScope) =>
  row ? openClaim(db, row, scope) : undefined;

// Claims are read by named columns, not `*`, so these statements are kept prepared
// (platform/db/columns.ts); built and compiled once, as the history's statements are
// (reusable-statement.ts): forty-nine column references are not worth building at every lock.
const claimById = reusableStatement((db, { id }: { id: string }) =>
  db.selectFrom('claims').select(CLAIM_COLUMNS).where('id', '=', id),
);
const claimByIdForUpdate = reusableStatement((db, { id }: { id: string }) =>
  db.selectFrom('claims').select(CLAIM_COLUMNS).where('id', '=', id).forUpdate(),
);

/**
 * A claim, opened. Outside a transaction the customer's data key is not cached, so the narrative
 * and the itemised losses share one read of it through `scope` (a request's own, when it opens
 * more of the same customer's data: the claim view's names).
 */
export const findClaim = async (db: Queryable, id: string, scope?: KeyScope) =>
  openIfFound(db, (await claimById(db, { id }))[0], sharedKeyScope(db, scope));

/** Locks the claim for the rest of the transaction: every change to a claim starts here. */
export const lockClaim = async (db: Queryable, id: string) => {
  // A new claim's history may be held (history.ts): written first, so the row read is current.
  await writeHeld(db);
  return openIfFound(db, (await claimByIdForUpdate(db, { id }))[0]);
};

// Screening asks at every filing: built and compiled once (reusable-statement.ts).
const otherOpenClaimOnLine = reusableStatement(
  (db, line: { orderId: string; lineId: string; exceptClaimId: string }) =>
    db
      .selectFrom('claims')
      .select('id')
      .where('order_id', '=', line.orderId)
      .where('line_id', '=', line.lineId)
      .where('id', '!=', line.exceptClaimId)
      .where('status', 'in', OPEN_STATUSES)
      .limit(1),
);

export async function hasOtherOpenClaimOnLine(
  db: Queryable,
  line: { orderId: string; lineId: string; exceptClaimId: string },
): Promise<boolean> {
  return (await otherOpenClaimOnLine(db, line)).length > 0;
}

export const CLAIM_SORTS = ['newest', 'oldest', 'due', 'amount_desc', 'amount_asc'] as const;
export type ClaimSort = (typeof CLAIM_SORTS)[number];

export interface ClaimListFilter {
  /** Any of these statuses; an empty list matches nothing. */
  statuses?: readonly string[];
  /** Only these marketplaces' claims (a third-party administrator's); an empty list matches nothing. */
  marketplaceIds?: readonly string[];
  sellerId?: string;
  customerId?: string;
  productId?: string;
  /** The hazard the claim was classified (or coded) as. */
  hazard?: string;
  minAmount?: number;
  maxAmount?: number;
  filedFrom?: Date;
  filedTo?: Date;
  /** An owner's key id, or null for claims nobody has taken. */
  ownerId?: string | null;
  /** Only reviews whose due time has passed by this moment (the overdue queue). */
  overdueAt?: Date;
  /** Only reviews of this kind (risk, dispute, appeal). */
  reviewKind?: string;
  /** Only reviews of any kind but this one (a null kind counts as another kind). */
  notReviewKind?: string;
  /** Only claims whose open expert referral was due by this moment. */
  expertOverdueAt?: Date;
  /** Only claims no expert is working on (no open referral). */
  withoutExpert?: boolean;
  /** What a free-text search resolved to (resolveClaimSearch); claims matching any of them. */
  search?: ClaimSearch;
  /** Sellers see only claims they have been told about. */
  onlyNotifiedToSeller?: boolean;
  sort?: ClaimSort;
  cursor?: string;
  limit: number;
}

/** The ways a search text can name claims, each answered by an index. */
export interface ClaimSearch {
  claimIds: string[];
  /** Claim numbers (R-XXXX-XXXX) as the id's last eight characters, lower case. */
  numberTails: string[];
  orderIds: string[];
  customerIds: string[];
  productIds: string[];
  sellerIds: string[];
}

/**
 * The deadline a claim is waiting on in its status: the agents' queues sort by it, the oldest
 * due first. An expert's deadline lives on its referral (the referrals queue shows it).
 */
const dueAt = sql<Date | null>`case status
    when 'under_review' then review_due_at
    when 'awaiting_seller' then seller_deadline
    when 'needs_info' then info_deadline
    when 'approved' then payment_deadline
  end`;

/** The claims matching every filter, unordered; null when the filter can match nothing. */
function filterClaims(db: Queryable, filter: Omit<ClaimListFilter, 'limit'>) {
  let query = db.selectFrom('claims').selectAll();
  if (filter.statuses) {
    if (filter.statuses.length === 0) return null;
    query = query.where('status', 'in', filter.statuses);
  }
  if (filter.marketplaceIds) {
    if (filter.marketplaceIds.length === 0) return null;
    query = query.where('marketplace_id', 'in', filter.marketplaceIds);
  }
  if (filter.sellerId) query = query.where('seller_id', '=', filter.sellerId);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.productId) query = query.where('product_id', '=', filter.productId);
  if (filter.hazard) {
    const hazard = filter.hazard;
    query = query.where('id', 'in', (sub) =>
      sub.selectFrom('claim_hazards').select('claim_id').where('hazard', '=', hazard),
    );
  }
  if (filter.minAmount !== undefined) query = query.where('amount', '>=', filter.minAmount);
  if (filter.maxAmount !== undefined) query = query.where('amount', '<=', filter.maxAmount);
  if (filter.filedFrom) query = query.where('filed_at', '>=', filter.filedFrom);
  if (filter.filedTo) query = query.where('filed_at', '<', filter.filedTo);
  if (filter.ownerId === null) query = query.where('owner_id', 'is', null);
  else if (filter.ownerId) query = query.where('owner_id', '=', filter.ownerId);
  if (filter.overdueAt) {
    // Overdue: past its due time, or escalated for it (the escalation sets a new date, but the
    // review stays in this queue until it ends).
    const at = filter.overdueAt;
    query = query
      .where('status', '=', 'under_review')
      .where((eb) => eb.or([eb('review_due_at', '<=', at), eb('review_escalated_at', 'is not', null)]));
  }
  if (filter.search) {
    const s = filter.search;
    const any = [s.claimIds, s.numberTails, s.orderIds, s.customerIds, s.productIds, s.sellerIds].some(
      (list) => list.length > 0,
    );
    if (!any) return null;
    query = query.where((eb) =>
      eb.or([
        ...(s.claimIds.length ? [eb('id', 'in', s.claimIds)] : []),
        ...(s.numberTails.length ? [eb(sql`right(id, 8)`, 'in', s.numberTails)] : []),
        ...(s.orderIds.length ? [eb('order_id', 'in', s.orderIds)] : []),
        ...(s.customerIds.length ? [eb('customer_id', 'in', s.customerIds)] : []),
        ...(s.productIds.length ? [eb('product_id', 'in', s.productIds)] : []),
        ...(s.sellerIds.length ? [eb('seller_id', 'in', s.sellerIds)] : []),
      ]),
    );
  }
  if (filter.reviewKind) query = query.where('review_kind', '=', filter.reviewKind);
  if (filter.notReviewKind) {
    const kind = filter.notReviewKind;
    query = query.where((eb) => eb.or([eb('review_kind', 'is', null), eb('review_kind', '!=', kind)]));
  }
  if (filter.expertOverdueAt) {
    const at = filter.expertOverdueAt;
    query = query.where('id', 'in', (sub) =>
      sub.selectFrom('referrals').select('claim_id').where('status', '=', 'open').where('due_at', '<=', at),
    );
  }
  if (filter.withoutExpert) {
    query = query.where('id', 'not in', (sub) =>
      sub.selectFrom('referrals').select('claim_id').where('status', '=', 'open'),
    );
  }
  if (filter.onlyNotifiedToSeller) query = query.where('seller_notified_at', 'is not', null);
  return query;
}

/** How many claims match the filter, and the oldest deadline among them (a queue's badge). */
export async function countClaims(
  db: Queryable,
  filter: Omit<ClaimListFilter, 'limit' | 'sort' | 'cursor'>,
): Promise<{ count: number; oldestDue: Date | null }> {
  const query = filterClaims(db, filter);
  if (!query) return { count: 0, oldestDue: null };
  const row = await query
    .clearSelect()
    .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.min(dueAt).as('oldest_due')])
    .executeTakeFirstOrThrow();
  const oldest = row.oldest_due as Date | string | null;
  return { count: Number(row.count), oldestDue: oldest === null ? null : new Date(oldest) };
}

/**
 * Claims matching every filter. Newest first pages by id (a keyset: the cursor is the last id);
 * the other orders page by position (the cursor is "o:" and an offset), which is fine for the
 * queues people page through by hand.
 */
export async function listClaims(db: Queryable, filter: ClaimListFilter): Promise<ClaimRow[]> {
  let query = filterClaims(db, filter);
  if (!query) return [];
  const sort = filter.sort ?? 'newest';
  if (sort === 'newest') {
    if (filter.cursor) query = query.where('id', '<', filter.cursor);
    query = query.orderBy('id', 'desc');
  } else {
    if (sort === 'oldest') query = query.orderBy('id', 'asc');
    if (sort === 'due') query = query.orderBy(sql`${dueAt} asc nulls last`).orderBy('id', 'asc');
    if (sort === 'amount_desc') query = query.orderBy('amount', 'desc').orderBy('id', 'desc');
    if (sort === 'amount_asc') query = query.orderBy('amount', 'asc').orderBy('id', 'asc');
    const offset = Number(filter.cursor?.startsWith('o:') ? filter.cursor.slice(2) : 0);
    if (Number.isSafeInteger(offset) && offset > 0) query = query.offset(offset);
  }
  const rows = await query.limit(filter.limit).execute();
  const page: KeyScope = {};
  return Promise.all(rows.map((row) => openClaim(db, row, page)));
}

/** The cursor of the page after `rows`, for the sort they were listed in. */
export function nextClaimCursor(
  sort: ClaimSort,
  cursor: string | undefined,
  page: ClaimRow[],
  more: boolean,
): string | null {
  if (!more) return null;
  if (sort === 'newest') return page.at(-1)?.id ?? null;
  const offset = cursor?.startsWith('o:') ? Number(cursor.slice(2)) || 0 : 0;
  return `o:${offset + page.length}`;
}

/**
 * What a search text can mean, each looked up by an index: a claim number or id, an order id,
 * a customer id, e-mail or full name (sealed: matched through the blind index, never by opening
 * every name), a product title or a seller name (plain catalogue data, matched by substring
 * within the marketplace's catalogue, at most 200 of each). `people` is false for a party
 * searching its own claims: it may find them by number, order or product, not by name.
 */
export async function resolveClaimSearch(
  db: Queryable,
  text: string,
  options: { people: boolean },
): Promise<ClaimSearch> {
  const q = text.trim();
  const found: ClaimSearch = {
    claimIds: [],
    numberTails: [],
    orderIds: [],
    customerIds: [],
    productIds: [],
    sellerIds: [],
  };
  const number = /^(?:R-?)?([0-9a-z]{4})-?([0-9a-z]{4})$/i.exec(q);
  if (number) found.numberTails.push(`${number[1]}${number[2]}`.toLowerCase());
  if (/^clm_[0-9a-z]+$/i.test(q)) found.claimIds.push(q.toLowerCase());
  found.orderIds.push(q);
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  found.productIds = (
    await db.selectFrom('products').select('id').where('title', 'ilike', pattern).limit(200).execute()
  ).map((r) => r.id);
  if (options.people) {
    found.customerIds.push(q);
    const index = await blindIndexOf(db, q.includes('@') ? 'email' : 'name', q);
    const column = q.includes('@') ? 'email_index' : 'name_index';
    for (const row of await db
      .selectFrom('customers')
      .select('id')
      .where(column, '=', index)
      .limit(200)
      .execute())
      found.customerIds.push(row.id);
    found.sellerIds = (
      await db.selectFrom('sellers').select('id').where('name', 'ilike', pattern).limit(200).execute()
    ).map((r) => r.id);
    found.sellerIds.push(q);
  }
  return found;
}

/** Which of these claims an expert is working on now (an open referral). */
export async function claimsWithOpenReferral(db: Queryable, claimIds: readonly string[]): Promise<string[]> {
  if (claimIds.length === 0) return [];
  const rows = await db
    .selectFrom('referrals')
    .select('claim_id')
    .where('claim_id', 'in', claimIds)
    .where('status', '=', 'open')
    .execute();
  return rows.map((r) => r.claim_id);
}

/**
 * The payouts and recoveries of some claims, by claim id, for their views. A claim flagged after
 * payment has the claimant's recovery too; sorted last, that one is the claim's.
 */
export async function claimsMoney(db: Queryable, claimIds: string[], options: { recoveries: boolean }) {
  const payouts = await db.selectFrom('payouts').selectAll().where('claim_id', 'in', claimIds).execute();
  const recoveries = options.recoveries
    ? await db
        .selectFrom('recoveries')
        .selectAll()
        .where('claim_id', 'in', claimIds)
        .orderBy('debtor', 'desc')
        .execute()
    : [];
  return {
    payouts: new Map(payouts.map((p) => [p.claim_id, p])),
    recoveries: new Map(recoveries.map((r) => [r.claim_id, r])),
  };
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

/**
 * The agents a claim may be assigned to (active agent keys; for a third-party administrator, its
 * own firm's keys), with how many open claims each owns.
 */
export async function listAgents(db: Queryable, of: { tpaId: string } | 'marketplace' = 'marketplace') {
  let query = db.selectFrom('api_keys').select(['id', 'label']).where('revoked_at', 'is', null);
  query =
    of === 'marketplace'
      ? query.where('role', '=', 'agent')
      : query.where('role', '=', 'tpa').where('party_id', '=', of.tpaId);
  const keys = await query.orderBy('id').execute();
  const counts = new Map(
    (
      await db
        .selectFrom('claims')
        .select(['owner_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('owner_id', 'is not', null)
        .where('status', 'in', OPEN_STATUSES)
        .groupBy('owner_id')
        .execute()
    ).map((r) => [r.owner_id, Number(r.n)]),
  );
  return keys.map((k) => ({ id: k.id, name: k.label ?? k.id, openClaims: counts.get(k.id) ?? 0 }));
}

/**
 * The independent experts a claim can be referred to, with their open referrals (least busy first)
 * and, of those, the ones past their due time at `now`.
 */
export async function listExperts(db: Queryable, now: Date) {
  const rows = await db
    .selectFrom('experts')
    .leftJoin('referrals', (join) =>
      join.onRef('referrals.expert_id', '=', 'experts.id').on('referrals.status', '=', 'open'),
    )
    .select([
      'experts.id',
      'experts.name',
      'experts.organisation',
      'experts.marketplace_id',
      (eb) => eb.fn.count<number>('referrals.id').as('open'),
      (eb) => eb.fn.count<number>('referrals.id').filterWhere('referrals.due_at', '<', now).as('overdue'),
    ])
    .where('experts.active', '=', true)
    .groupBy(['experts.id', 'experts.name', 'experts.organisation', 'experts.marketplace_id'])
    .orderBy('open')
    .orderBy('experts.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    organisation: r.organisation,
    marketplaceId: r.marketplace_id,
    openReferrals: Number(r.open),
    overdueReferrals: Number(r.overdue),
  }));
}
