import type { Clock } from '../platform/clock.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { unprocessable } from '../platform/errors.ts';
import { replaceIdentities } from '../screening/identities.ts';
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
  const fields = {
    name: input.name,
    email: input.email,
    account_created_at: input.accountCreatedAt ?? existing?.account_created_at ?? null,
    birth_year: input.birthYear ?? existing?.birth_year ?? null,
    region: input.region ?? existing?.region ?? null,
    updated_at: now,
  };
  await db
    .insertInto('customers')
    .values({ id, marketplace_id: input.marketplaceId, created_at: now, ...fields })
    .onConflict((oc) => oc.column('id').doUpdateSet(fields))
    .execute();
  await replaceIdentities(db, 'customer_identities', id, [
    { kind: 'email', value: input.email },
    { kind: 'address', value: input.identity?.address },
    { kind: 'phone', value: input.identity?.phone },
    { kind: 'payment_fingerprint', value: input.identity?.paymentFingerprint },
    { kind: 'device_id', value: input.identity?.deviceId },
  ]);
  const stored = await findCustomer(db, id);
  if (!stored) throw new Error(`customer ${id} vanished while being written`);
  return toCustomerView(stored);
}
