import { fetchPage, type PageRequest } from '../platform/db/paging.ts';
import type { Queryable } from '../platform/db/sql.ts';

/** Reading recovery cases; their changes are the use cases in recoveries.ts. */

export const findRecovery = (db: Queryable, id: string) =>
  db.selectFrom('recoveries').selectAll().where('id', '=', id).executeTakeFirst();

/**
 * One page of recovery cases, newest first, narrowed to a seller, an insurer and a status when
 * given (the caller decides which a party is limited to).
 */
export function listRecoveries(
  db: Queryable,
  filter: { sellerId?: string | undefined; insurerId?: string | undefined; status?: string | undefined },
  page: PageRequest,
) {
  let query = db.selectFrom('recoveries').selectAll();
  if (filter.sellerId !== undefined) query = query.where('seller_id', '=', filter.sellerId);
  if (filter.insurerId !== undefined) query = query.where('insurer_id', '=', filter.insurerId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return fetchPage(query, page);
}
