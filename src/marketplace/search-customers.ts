import type { Queryable } from '../platform/db/sql.ts';
import { blindIndexOf } from '../privacy/data-keys.ts';
import { openCustomer } from './store.ts';

/**
 * Customers found by their id, their e-mail or their full name, for an agent filing a claim on
 * a customer's behalf. Names and e-mails are stored sealed, so they are matched whole through
 * their blind index (case and spacing as the index normalises them), never by a fragment: a
 * fragment search would need the plaintext. Erased customers are not found.
 */
export async function searchCustomers(
  db: Queryable,
  text: string,
  scope: { marketplaceIds?: readonly string[] },
  limit = 20,
) {
  const q = text.trim();
  if (scope.marketplaceIds?.length === 0) return [];
  const byEmail = q.includes('@');
  const index = await blindIndexOf(db, byEmail ? 'email' : 'name', q);
  let query = db
    .selectFrom('customers')
    .selectAll()
    .where('erased_at', 'is', null)
    .where((eb) => eb.or([eb('id', '=', q), eb(byEmail ? 'email_index' : 'name_index', '=', index)]));
  if (scope.marketplaceIds) query = query.where('marketplace_id', 'in', scope.marketplaceIds);
  const rows = await query.orderBy('id').limit(limit).execute();
  const found = [];
  for (const row of rows) found.push(await openCustomer(db, row));
  return found;
}
