import type { Clock } from '../platform/clock.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { AppError, unprocessable } from '../platform/errors.ts';
import { languageOf } from '../platform/locale.ts';
import { blindIndexOf, sealPersonal } from '../privacy/data-keys.ts';
import { replaceIdentities } from '../screening/identities.ts';
import type { CustomerInput } from './schemas.ts';
import { findCustomer, findMarketplace } from './store.ts';
import { toCustomerView } from './views.ts';

export async function putCustomer(db: Queryable, clock: Clock, id: string, input: CustomerInput) {
  const marketplace = await findMarketplace(db, input.marketplaceId);
  if (!marketplace) {
    throw unprocessable('body.marketplaceId', `marketplace ${input.marketplaceId} does not exist`);
  }
  const existing = await findCustomer(db, id);
  if (existing && existing.marketplace_id !== input.marketplaceId) {
    throw unprocessable('body.marketplaceId', 'a customer cannot move to another marketplace');
  }
  if (existing?.erased_at) {
    throw new AppError(
      'conflict',
      `the personal data of customer ${id} was erased; it cannot be written again`,
    );
  }
  const now = clock.now();
  // Name and e-mail are stored sealed with the customer's data key; the blind indexes let an
  // exact name or e-mail be found without the plaintext (docs/security.md).
  const fields = {
    name: await sealPersonal(db, id, 'customer.name', input.name),
    email: await sealPersonal(db, id, 'customer.email', input.email),
    name_index: await blindIndexOf(db, 'name', input.name),
    email_index: await blindIndexOf(db, 'email', input.email),
    account_created_at: input.accountCreatedAt ?? existing?.account_created_at ?? null,
    birth_year: input.birthYear ?? existing?.birth_year ?? null,
    region: input.region ?? existing?.region ?? null,
    // A German marketplace's customers read German unless they say otherwise.
    language: input.language ?? existing?.language ?? languageOf(marketplace.locale),
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
