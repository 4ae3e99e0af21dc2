import { fetchPage, type PageRequest } from '../platform/db/paging.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { json } from '../platform/db/sql.ts';
import { openPersonal } from '../privacy/data-keys.ts';
import { type Policy, storedPolicy } from './policy.ts';

/** All SQL about marketplaces, their policy versions, sellers, products, customers and orders. */

export const findMarketplace = (db: Queryable, id: string) =>
  db.selectFrom('marketplaces').selectAll().where('id', '=', id).executeTakeFirst();

export interface PolicyVersionRow {
  id: string;
  marketplaceId: string;
  version: number;
  policy: Policy;
  effectiveAt: Date;
}

export async function currentPolicyVersion(
  db: Queryable,
  marketplaceId: string,
): Promise<PolicyVersionRow | null> {
  const row = await db
    .selectFrom('policy_versions')
    .selectAll()
    .where('marketplace_id', '=', marketplaceId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toPolicyVersion(row) : null;
}

export async function findPolicyVersion(db: Queryable, id: string): Promise<PolicyVersionRow | null> {
  const row = await db.selectFrom('policy_versions').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPolicyVersion(row) : null;
}

function toPolicyVersion(row: {
  id: string;
  marketplace_id: string;
  version: number;
  policy: unknown;
  effective_at: Date;
}): PolicyVersionRow {
  return {
    id: row.id,
    marketplaceId: row.marketplace_id,
    version: row.version,
    // Parsing fills fields added to the policy after this version was stored with their defaults.
    policy: storedPolicy(row.id, row.policy),
    effectiveAt: row.effective_at,
  };
}

/** Every marketplace, by id: the admin's list (a handful per installation). */
export const listMarketplaces = (db: Queryable) =>
  db.selectFrom('marketplaces').selectAll().orderBy('id').execute();

/** Every policy version of a marketplace, newest first, with who made it. */
export async function listPolicyVersions(
  db: Queryable,
  marketplaceId: string,
): Promise<(PolicyVersionRow & { createdBy: string })[]> {
  const rows = await db
    .selectFrom('policy_versions')
    .selectAll()
    .where('marketplace_id', '=', marketplaceId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((row) => ({ ...toPolicyVersion(row), createdBy: row.created_by }));
}

export async function insertPolicyVersion(
  db: Queryable,
  v: {
    id: string;
    marketplaceId: string;
    version: number;
    policy: Policy;
    effectiveAt: Date;
    createdBy: string;
  },
): Promise<void> {
  await db
    .insertInto('policy_versions')
    .values({
      id: v.id,
      marketplace_id: v.marketplaceId,
      version: v.version,
      policy: json(v.policy),
      effective_at: v.effectiveAt,
      created_by: v.createdBy,
    })
    .execute();
}

export const findSeller = (db: Queryable, id: string) =>
  db.selectFrom('sellers').selectAll().where('id', '=', id).executeTakeFirst();

/** Every marketplace the seller sells in (its home one among them), in the order it joined them. */
export async function sellerMarketplaceIds(db: Queryable, sellerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('seller_marketplaces')
    .select('marketplace_id')
    .where('seller_id', '=', sellerId)
    .orderBy('created_at')
    .orderBy('marketplace_id')
    .execute();
  return rows.map((r) => r.marketplace_id);
}

/** Whether the seller sells in the marketplace: a product it lists may be ordered there. */
export async function sellsIn(db: Queryable, sellerId: string, marketplaceId: string): Promise<boolean> {
  const row = await db
    .selectFrom('seller_marketplaces')
    .select('seller_id')
    .where('seller_id', '=', sellerId)
    .where('marketplace_id', '=', marketplaceId)
    .executeTakeFirst();
  return Boolean(row);
}

export const findProduct = (db: Queryable, id: string) =>
  db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst();

/** The customer with its name and e-mail opened ("[erased]" once its data key is destroyed). */
export async function findCustomer(db: Queryable, id: string) {
  const row = await db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? openCustomer(db, row) : undefined;
}

export async function openCustomer<T extends { id: string; name: string; email: string }>(
  db: Queryable,
  row: T,
): Promise<T> {
  return {
    ...row,
    name: await openPersonal(db, row.id, 'customer.name', row.name),
    email: await openPersonal(db, row.id, 'customer.email', row.email),
  };
}

export const findOrder = (db: Queryable, id: string) =>
  db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();

/** One page of a customer's orders, newest first. */
export const customerOrders = (db: Queryable, customerId: string, page: PageRequest) =>
  fetchPage(db.selectFrom('orders').selectAll().where('customer_id', '=', customerId), page);

/** An order's lines, each with its product's title and its seller's name (what people read it by). */
export const findOrderLines = (db: Queryable, orderId: string) =>
  db
    .selectFrom('order_lines')
    .leftJoin('products', 'products.id', 'order_lines.product_id')
    .leftJoin('sellers', 'sellers.id', 'order_lines.seller_id')
    .selectAll('order_lines')
    .select(['products.title as product_title', 'sellers.name as seller_name'])
    .where('order_id', '=', orderId)
    .orderBy('line_id')
    .execute();

/** The line with its seller's kind, locked so two claims on one line are decided one after the other. */
export const lockOrderLine = (db: Queryable, orderId: string, lineId: string) =>
  db
    .selectFrom('order_lines')
    .innerJoin('sellers', 'sellers.id', 'order_lines.seller_id')
    .select([
      'order_lines.product_id',
      'order_lines.seller_id',
      'order_lines.delivered_at',
      'order_lines.unit_price',
      'order_lines.quantity',
      'sellers.kind as seller_kind',
    ])
    .where('order_lines.order_id', '=', orderId)
    .where('order_lines.line_id', '=', lineId)
    .forUpdate('order_lines')
    .executeTakeFirst();
