import { type Selectable, sql } from 'kysely';
import { currentPolicyVersion, findMarketplace } from '../marketplace/store.ts';
import type {
  InsurancePoliciesTable,
  InsuranceQuotesTable,
  InsurersTable,
  QuoteRequestsTable,
  TendersTable,
} from '../platform/db/database.ts';
import { fetchPage, type PageRequest } from '../platform/db/paging.ts';
import { perTransaction } from '../platform/db/per-transaction.ts';
import type { Queryable } from '../platform/db/sql.ts';
import type { PolicyOnFile } from './compliance.ts';

/** All SQL about insurers, policies on file, tenders and the insurance network's quotes. */

export type InsurerRow = Selectable<InsurersTable>;
export type InsurancePolicyRow = Selectable<InsurancePoliciesTable>;
export type TenderRow = Selectable<TendersTable>;
export type QuoteRequestRow = Selectable<QuoteRequestsTable>;
export type QuoteRow = Selectable<InsuranceQuotesTable>;

export const findInsurer = (db: Queryable, id: string) =>
  db.selectFrom('insurers').selectAll().where('id', '=', id).executeTakeFirst();

export const findPolicy = (db: Queryable, id: string) =>
  db.selectFrom('insurance_policies').selectAll().where('id', '=', id).executeTakeFirst();

export const lockPolicy = (db: Queryable, id: string) =>
  db.selectFrom('insurance_policies').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const sellerPolicies = (db: Queryable, sellerId: string) =>
  db
    .selectFrom('insurance_policies')
    .selectAll()
    .where('seller_id', '=', sellerId)
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc')
    .execute();

type PolicyOnFileRow = PolicyOnFile & { insurerId: string };

/** A seller's policies as the compliance rules see them, with their insurers' ratings. */
export async function policiesOnFile(db: Queryable, sellerId: string): Promise<PolicyOnFileRow[]> {
  const known = knownPolicies.peek(db)?.get(sellerId);
  if (known) {
    // Taken once: a later read in the transaction (after a write, perhaps) goes to the database.
    knownPolicies.peek(db)?.delete(sellerId);
    return known;
  }
  const rows = await db
    .selectFrom('insurance_policies')
    .innerJoin('insurers', 'insurers.id', 'insurance_policies.insurer_id')
    .selectAll('insurance_policies')
    .select('insurers.financial_rating')
    .where('insurance_policies.seller_id', '=', sellerId)
    .execute();
  return rows.map(policyOnFileOf);
}

/** The columns `policiesOnFile` reads, as a caller's own statement selects them (`POLICIES_ON_FILE_JSON`). */
type PolicyOnFileColumns = Pick<
  InsurancePolicyRow,
  | 'id'
  | 'insurer_id'
  | 'status'
  | 'per_occurrence'
  | 'aggregate'
  | 'deductible'
  | 'currency'
  | 'additional_insured'
  | 'effective_from'
  | 'expires_at'
> & { financial_rating: string | null };

const policyOnFileOf = (r: PolicyOnFileColumns): PolicyOnFileRow => ({
  id: r.id,
  insurerId: r.insurer_id,
  status: r.status,
  insurerRating: r.financial_rating,
  perOccurrence: r.per_occurrence,
  aggregate: r.aggregate,
  deductible: r.deductible,
  currency: r.currency,
  additionalInsured: r.additional_insured,
  effectiveFrom: r.effective_from,
  expiresAt: r.expires_at,
});

/**
 * A seller's policies on file as a jsonb array, for a caller that reads them within its own
 * statement (the filing context): `ip` is `insurance_policies`, `i` its insurer.
 */
export const POLICIES_ON_FILE_JSON = sql<unknown>`coalesce(jsonb_agg(jsonb_build_object(
  'id', ip.id, 'insurer_id', ip.insurer_id, 'status', ip.status, 'financial_rating', i.financial_rating,
  'per_occurrence', ip.per_occurrence, 'aggregate', ip.aggregate, 'deductible', ip.deductible,
  'currency', ip.currency, 'additional_insured', ip.additional_insured,
  'effective_from', ip.effective_from, 'expires_at', ip.expires_at)), '[]'::jsonb)`;

const knownPolicies = perTransaction(() => new Map<string, PolicyOnFileRow[]>());

/**
 * A seller's policies read by the caller's statement (`POLICIES_ON_FILE_JSON`), handed to the
 * transaction's next `policiesOnFile` for that seller instead of a read of its own.
 */
export function knownPoliciesOnFile(tx: Queryable, sellerId: string, policies: unknown): void {
  if (!tx.isTransaction || !Array.isArray(policies)) return;
  const rows = (
    policies as (Omit<PolicyOnFileColumns, 'effective_from' | 'expires_at'> & {
      effective_from: string;
      expires_at: string;
    })[]
  ).map((p) =>
    policyOnFileOf({ ...p, effective_from: new Date(p.effective_from), expires_at: new Date(p.expires_at) }),
  );
  knownPolicies.of(tx).set(sellerId, rows);
}

export const findTender = (db: Queryable, id: string) =>
  db.selectFrom('tenders').selectAll().where('id', '=', id).executeTakeFirst();

export const lockTender = (db: Queryable, id: string) =>
  db.selectFrom('tenders').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const tendersOfClaim = (db: Queryable, claimId: string) =>
  db.selectFrom('tenders').selectAll().where('claim_id', '=', claimId).orderBy('id').execute();

export const findQuoteRequest = (db: Queryable, id: string) =>
  db.selectFrom('quote_requests').selectAll().where('id', '=', id).executeTakeFirst();

export const lockQuoteRequest = (db: Queryable, id: string) =>
  db.selectFrom('quote_requests').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const quotesOfRequest = (db: Queryable, requestId: string) =>
  db
    .selectFrom('insurance_quotes')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('premium')
    .orderBy('id')
    .execute();

export const lockQuote = (db: Queryable, id: string) =>
  db.selectFrom('insurance_quotes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

/**
 * What judging a seller's insurance needs: its policies as the rules see them, and its
 * marketplace's minimum and currency. Null when the marketplace or its policy is missing.
 */
export async function insuranceRules(db: Queryable, seller: { id: string; marketplace_id: string }) {
  const [marketplace, version, onFile] = await Promise.all([
    findMarketplace(db, seller.marketplace_id),
    currentPolicyVersion(db, seller.marketplace_id),
    policiesOnFile(db, seller.id),
  ]);
  return marketplace && version
    ? { rules: version.policy.insurance, currency: marketplace.currency, onFile }
    : null;
}

/** Insurers by id, at most a thousand (the network is small), optionally of one network status. */
export function listInsurers(db: Queryable, networkStatus?: string) {
  let query = db.selectFrom('insurers').selectAll().orderBy('id');
  if (networkStatus) query = query.where('network_status', '=', networkStatus);
  return query.limit(1000).execute();
}

/** The names and ratings of some insurers, by id, for quotes shown side by side. */
export async function insurerNames(db: Queryable, ids: string[]) {
  if (ids.length === 0) return new Map<string, { name: string; financial_rating: string | null }>();
  const rows = await db
    .selectFrom('insurers')
    .select(['id', 'name', 'financial_rating'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** A seller's policies, the newest filed first. */
export const sellerPoliciesNewestFirst = (db: Queryable, sellerId: string) =>
  db
    .selectFrom('insurance_policies')
    .selectAll()
    .where('seller_id', '=', sellerId)
    .orderBy('id', 'desc')
    .execute();

/** One page of policies on file, newest first; an insurer's own when `insurerId` is given. */
export function listPolicies(
  db: Queryable,
  filter: { insurerId?: string; status?: string },
  page: PageRequest,
) {
  let query = db.selectFrom('insurance_policies').selectAll();
  if (filter.insurerId !== undefined) query = query.where('insurer_id', '=', filter.insurerId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return fetchPage(query, page);
}

/** One page of quote requests, newest first; a seller's own when `sellerId` is given. */
export function listQuoteRequests(db: Queryable, filter: { sellerId?: string }, page: PageRequest) {
  let query = db.selectFrom('quote_requests').selectAll();
  if (filter.sellerId !== undefined) query = query.where('seller_id', '=', filter.sellerId);
  return fetchPage(query, page);
}

/** One page of tenders, newest first, narrowed to an insurer, a seller and a status when given. */
export function listTenders(
  db: Queryable,
  filter: { insurerId?: string; sellerId?: string; status?: string },
  page: PageRequest,
) {
  let query = db.selectFrom('tenders').selectAll();
  if (filter.insurerId !== undefined) query = query.where('insurer_id', '=', filter.insurerId);
  if (filter.sellerId !== undefined) query = query.where('seller_id', '=', filter.sellerId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return fetchPage(query, page);
}
