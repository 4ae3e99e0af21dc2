import { sql } from 'kysely';
import type pg from 'pg';
import { putInsurer } from '../../insurance/insurers.ts';
import { recordVerifiedPolicy } from '../../insurance/verify-policy.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/sql.ts';
import { putCustomer } from '../put-customer.ts';
import { putMarketplace } from '../put-marketplace.ts';
import { putOrder } from '../put-order.ts';
import { putProduct } from '../put-product.ts';
import { putSeller } from '../put-seller.ts';
import { type BatchOutcome, writeCustomers, writeOrders, writeProducts } from './batch-writers.ts';
import {
  type ImportKind,
  type ImportRecord,
  lineErrors,
  type Numbered,
  type RecordOf,
} from './import-lines.ts';

/**
 * Within a batch, kinds are applied in this order, so a line may refer to a record of an
 * earlier kind anywhere in the same batch (an order to the customer on the next line).
 */
const KIND_ORDER: ImportKind[] = [
  'marketplace',
  'insurer',
  'seller',
  'insurance_policy',
  'product',
  'customer',
  'order',
];

/** `client` is the transaction's own `pg` client on PostgreSQL (rows go in by COPY), else null. */
type BatchWriter = (
  tx: Tx,
  client: pg.PoolClient | null,
  ctx: AppContext,
  records: Numbered<ImportRecord>[],
) => Promise<BatchOutcome>;

/** The kinds that arrive by the million are written set-based; the rest one line at a time. */
const SET_WRITERS: Partial<Record<ImportKind, BatchWriter>> = {
  product: (tx, client, ctx, r) => writeProducts(tx, client, ctx.clock, r as Numbered<RecordOf<'product'>>[]),
  customer: (tx, client, ctx, r) =>
    writeCustomers(tx, client, ctx.clock, r as Numbered<RecordOf<'customer'>>[]),
  order: (tx, client, ctx, r) => writeOrders(tx, client, ctx.clock, r as Numbered<RecordOf<'order'>>[]),
};

async function applyOne(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  record: ImportRecord,
): Promise<unknown> {
  switch (record.kind) {
    case 'marketplace':
      return putMarketplace(tx, ctx.clock, principal, record.id, record.data);
    case 'seller':
      return putSeller(tx, ctx.clock, record.id, record.data);
    case 'product':
      return putProduct(tx, ctx.clock, record.id, record.data);
    case 'customer':
      return putCustomer(tx, ctx.clock, record.id, record.data);
    case 'order':
      return putOrder(tx, ctx.clock, record.id, record.data);
    case 'insurer':
      return putInsurer(tx, ctx.clock, record.id, record.data);
    case 'insurance_policy':
      return recordVerifiedPolicy(tx, ctx, record.id, record.data);
  }
}

/**
 * A savepoint around each unit of work, so a line the database refuses (a race with a PUT, a
 * constraint we did not check) fails alone and the batch's transaction carries on.
 */
async function inSavepoint<T>(tx: Tx, work: () => Promise<T>): Promise<T> {
  await sql`savepoint import_unit`.execute(tx);
  try {
    const value = await work();
    await sql`release savepoint import_unit`.execute(tx);
    return value;
  } catch (error) {
    await sql`rollback to savepoint import_unit`.execute(tx);
    throw error;
  }
}

async function oneByOne(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  records: Numbered<ImportRecord>[],
): Promise<BatchOutcome> {
  const result: BatchOutcome = { imported: 0, errors: [], failed: 0 };
  for (const { line, record } of records) {
    try {
      await inSavepoint(tx, () => applyOne(tx, ctx, principal, record));
      result.imported++;
    } catch (error) {
      result.failed++;
      result.errors.push(...lineErrors(line, error));
    }
  }
  return result;
}

/**
 * Splits records into waves in which no (kind, id) appears twice: a multi-row upsert cannot
 * touch one row twice, and a later line about the same record must see the earlier one.
 */
function waves(records: Numbered<ImportRecord>[]): Numbered<ImportRecord>[][] {
  const result: Numbered<ImportRecord>[][] = [];
  let current: Numbered<ImportRecord>[] = [];
  let seen = new Set<string>();
  for (const r of records) {
    const key = `${r.record.kind}\u0000${r.record.id}`;
    if (seen.has(key)) {
      result.push(current);
      current = [];
      seen = new Set();
    }
    seen.add(key);
    current.push(r);
  }
  if (current.length) result.push(current);
  return result;
}

export interface AppliedBatch {
  imported: number;
  failed: number;
  byKind: Record<string, number>;
  errors: BatchOutcome['errors'];
}

/**
 * Applies parsed records inside the caller's transaction; a bad line is reported, never fatal.
 * `client` is that transaction's `pg` client (`transactionWithClient`), or null on PGlite.
 */
export async function applyImportBatch(
  tx: Tx,
  client: pg.PoolClient | null,
  ctx: AppContext,
  principal: Principal,
  records: Numbered<ImportRecord>[],
): Promise<AppliedBatch> {
  const applied: AppliedBatch = { imported: 0, failed: 0, byKind: {}, errors: [] };
  for (const wave of waves(records)) {
    for (const kind of KIND_ORDER) {
      const ofKind = wave.filter((r) => r.record.kind === kind);
      if (ofKind.length === 0) continue;
      const writer = SET_WRITERS[kind];
      let outcome: BatchOutcome;
      try {
        outcome = writer
          ? await inSavepoint(tx, () => writer(tx, client, ctx, ofKind))
          : await oneByOne(tx, ctx, principal, ofKind);
      } catch (error) {
        // The set-based statement was refused as a whole: find the line at fault one by one.
        ctx.log.warn(
          { err: error, kind, records: ofKind.length },
          'import batch refused; retrying line by line',
        );
        outcome = await oneByOne(tx, ctx, principal, ofKind);
      }
      applied.imported += outcome.imported;
      applied.failed += outcome.failed;
      applied.errors.push(...outcome.errors);
      if (outcome.imported) applied.byKind[kind] = (applied.byKind[kind] ?? 0) + outcome.imported;
    }
  }
  applied.errors.sort((a, b) => a.line - b.line);
  return applied;
}
