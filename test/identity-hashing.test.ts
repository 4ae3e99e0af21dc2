import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  currentIdentityKey,
  identityHash,
  LEGACY_KEY_ID,
  legacyIdentityDigest,
} from '../src/screening/identities.ts';
import { rekeyLegacyIdentities } from '../src/screening/rekey-identities.ts';
import { usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
  await usMarketplace(world);
});
afterAll(() => world.close());

const identitiesOf = (customerId: string) =>
  world.ctx.db
    .selectFrom('customer_identities')
    .select(['kind', 'value_hash', 'key_id'])
    .where('customer_id', '=', customerId)
    .orderBy('kind')
    .execute();

describe('identity facts are stored as keyed hashes', () => {
  it('stores the HMAC and the id of the key that made it, never the value or its plain hash', async () => {
    const res = await world.request('PUT', '/v1/customers/cus_fay', {
      body: {
        marketplaceId: 'mkt_us',
        name: 'Fay Lin',
        email: 'fay@example.com',
        identity: { phone: '+1 555 010 2030' },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const phone = (await identitiesOf('cus_fay')).find((r) => r.kind === 'phone');
    expect(phone).toEqual({
      kind: 'phone',
      key_id: currentIdentityKey().id,
      value_hash: identityHash('phone', '+15550102030').hash,
    });
    expect(phone?.value_hash).not.toBe(legacyIdentityDigest('phone', '+15550102030'));
  });

  it('re-keys rows from before keying in place, so they match new ones again', async () => {
    const legacy = legacyIdentityDigest('device_id', 'DEVICE-42');
    await world.ctx.db
      .insertInto('customer_identities')
      .values([
        { customer_id: 'cus_dana', kind: 'device_id', value_hash: legacy, key_id: LEGACY_KEY_ID },
        { customer_id: 'cus_eli', kind: 'device_id', value_hash: legacy, key_id: LEGACY_KEY_ID },
      ])
      .execute();
    expect(await rekeyLegacyIdentities(world.ctx.db, currentIdentityKey())).toBe(2);
    const expected = { kind: 'device_id', ...toRow(identityHash('device_id', 'DEVICE-42')) };
    expect((await identitiesOf('cus_dana')).find((r) => r.kind === 'device_id')).toEqual(expected);
    expect((await identitiesOf('cus_eli')).find((r) => r.kind === 'device_id')).toEqual(expected);
    expect(await rekeyLegacyIdentities(world.ctx.db, currentIdentityKey())).toBe(0);
  });
});

const toRow = (h: { keyId: string; hash: string }) => ({ key_id: h.keyId, value_hash: h.hash });
