import { sql } from 'kysely';
import { findPolicyVersion } from '../marketplace/store.ts';
import type { Queryable } from '../platform/db/sql.ts';
import {
  CUSTOMER_DATA_KEY_COLUMNS,
  type CustomerDataKeyColumns,
  customerOwnerOf,
  type KeyScope,
  knownCustomerDataKey,
  openPersonal,
  sharedKeyScope,
} from '../privacy/data-keys.ts';
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
  // Each customer's data key comes with its row (as the filing context's does), instead of a read
  // per customer to open the name; the keys are shared through `keys` for the rest of the request.
  const keys = sharedKeyScope(db, scope);
  const { rows: customerRows } = await sql<{ id: string; name: string } & CustomerDataKeyColumns>`
    select c.id, c.name, ${CUSTOMER_DATA_KEY_COLUMNS}
    from customers c left join data_keys dk on dk.owner = ${customerOwnerOf('c.id')}
    where c.id = any(${customerIds}::text[])`.execute(db);
  const customers = new Map<string, string>();
  for (const row of customerRows) {
    knownCustomerDataKey(db, row.id, row, keys);
    customers.set(row.id, await openPersonal(db, row.id, 'customer.name', row.name, keys));
  }
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
