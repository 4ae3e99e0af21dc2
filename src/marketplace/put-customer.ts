import type { Clock } from '../platform/clock.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { unprocessable } from '../platform/errors.ts';
import type { CustomerInput } from './schemas.ts';
import { findCustomer, findMarketplace } from './store.ts';
import { toCustomerView } from './views.ts';

export async function putCustomer(db: Queryable, clock: Clock, id: string, input: CustomerInput) {
  if (!(await findMarketplace(db, input.marketplaceId))) {
    throw unprocessable('body.marketplaceId', `marketplace ${input.marketplaceId} does not exist`);
  }
  const existing = await findCustomer(db, id);
  if (existing && existing.marketplace_id !== input.marketplaceId) {
    throw unprocessable('body.marketplaceId', 'a customer cannot move to another marketplace');
  }
  const now = clock.now();
  const fields = { name: input.name, email: input.email, updated_at: now };
  await db
    .insertInto('customers')
    .values({ id, marketplace_id: input.marketplaceId, created_at: now, ...fields })
    .onConflict((oc) => oc.column('id').doUpdateSet(fields))
    .execute();
  const stored = await findCustomer(db, id);
  if (!stored) throw new Error(`customer ${id} vanished while being written`);
  return toCustomerView(stored);
}
