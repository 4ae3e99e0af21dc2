import { findPolicyVersion } from '../marketplace/store.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { type KeyScope, openPersonal } from '../privacy/data-keys.ts';
import type { ClaimRow } from './store.ts';

/** The names a claim is shown by: its product's title, its seller's and its claimant's names. */
export interface ClaimNames {
  productTitle: string | null;
  sellerName: string | null;
  /** Opened from its sealed form ("[erased]" once erased); who may see it is decided in views.ts. */
  customerName: string | null;
  /** The claim's policy version lets the seller see the claimant's name (sellerSeesCustomerName). */
  sellerSeesCustomerName: boolean;
}

/** Looks the names up once for a page of claims (three queries, not three per claim). */
export async function claimNames(
  db: Queryable,
  claims: ClaimRow[],
  scope?: KeyScope,
): Promise<Map<string, ClaimNames>> {
  const names = new Map<string, ClaimNames>();
  if (claims.length === 0) return names;
  const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))];
  const productIds = distinct(claims.map((c) => c.product_id));
  const sellerIds = distinct(claims.map((c) => c.seller_id));
  const customerIds = distinct(claims.map((c) => c.customer_id));
  const products = new Map(
    productIds.length === 0
      ? []
      : (await db.selectFrom('products').select(['id', 'title']).where('id', 'in', productIds).execute()).map(
          (p) => [p.id, p.title],
        ),
  );
  const sellers = new Map(
    sellerIds.length === 0
      ? []
      : (await db.selectFrom('sellers').select(['id', 'name']).where('id', 'in', sellerIds).execute()).map(
          (s) => [s.id, s.name],
        ),
  );
  const customerRows = await db
    .selectFrom('customers')
    .select(['id', 'name'])
    .where('id', 'in', customerIds)
    .execute();
  const customers = new Map<string, string>();
  for (const row of customerRows)
    customers.set(row.id, await openPersonal(db, row.id, 'customer.name', row.name, scope));
  const policies = new Map<string, boolean>();
  for (const id of distinct(claims.map((c) => c.policy_version_id))) {
    policies.set(id, (await findPolicyVersion(db, id))?.policy.sellerSeesCustomerName ?? false);
  }
  for (const claim of claims) {
    names.set(claim.id, {
      productTitle: claim.product_id ? (products.get(claim.product_id) ?? null) : null,
      sellerName: claim.seller_id ? (sellers.get(claim.seller_id) ?? null) : null,
      customerName: customers.get(claim.customer_id) ?? null,
      sellerSeesCustomerName: policies.get(claim.policy_version_id) ?? false,
    });
  }
  return names;
}
