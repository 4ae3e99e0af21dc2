import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
beforeAll(async () => {
  world = await createWorld();
  keys = await usMarketplace(world);
});
afterAll(() => world.close());

const createKey = async (body: Record<string, unknown>) => {
  const res = await world.request('POST', '/v1/api-keys', { body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; secret: string; expiresAt: string | null };
};
const whoAmI = (key: string) => world.request('GET', '/v1/session', { key });

async function signIn(apiKey: string) {
  const res = await world.app.inject({ method: 'POST', url: '/v1/sessions', payload: { apiKey } });
  expect(res.statusCode, res.body).toBe(201);
  const cookie = (res.cookies as { name: string; value: string }[])
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
  return () => world.app.inject({ method: 'GET', url: '/v1/session', headers: { cookie } });
}

describe('listing keys', () => {
  it('shows an admin every key and a party only its own, never a secret', async () => {
    const acmeSecond = await createKey({ role: 'seller', partyId: 'slr_acme', label: 'second' });
    const all = await world.request('GET', '/v1/api-keys?limit=200');
    expect(all.status).toBe(200);
    expect(all.body.data.map((k: { partyId: string }) => k.partyId)).toEqual(
      expect.arrayContaining(['slr_acme', 'slr_other', 'cus_dana']),
    );
    const mine = await world.request('GET', '/v1/api-keys?partyId=slr_other&role=customer', {
      key: keys.acme,
    });
    expect(mine.status).toBe(200);
    expect(mine.body.data.length).toBeGreaterThanOrEqual(2);
    expect(new Set(mine.body.data.map((k: { partyId: string }) => k.partyId))).toEqual(new Set(['slr_acme']));
    expect(mine.body.data.find((k: { id: string }) => k.id === acmeSecond.id)).toMatchObject({
      role: 'seller',
      label: 'second',
      status: 'active',
    });
    expect(JSON.stringify(all.body)).not.toContain('rdk_');
  });

  it('refuses agents', async () => {
    expect((await world.request('GET', '/v1/api-keys', { key: keys.agent })).status).toBe(403);
  });

  it('records when a key was last used, at most once a minute', async () => {
    const key = await createKey({ role: 'seller', partyId: 'slr_other', label: 'last-used' });
    const lastUsed = async () =>
      (await world.request('GET', '/v1/api-keys?partyId=slr_other&limit=200')).body.data.find(
        (k: { id: string }) => k.id === key.id,
      ).lastUsedAt;
    expect(await lastUsed()).toBeNull();
    await whoAmI(key.secret);
    const first = await lastUsed();
    expect(first).toBe(world.clock.now().toISOString());
    world.clock.advance(30);
    await whoAmI(key.secret);
    expect(await lastUsed()).toBe(first);
    world.clock.advance(31);
    await whoAmI(key.secret);
    expect(await lastUsed()).toBe(world.clock.now().toISOString());
  });
});

describe('revoking keys', () => {
  it('ends the key and its sessions at once', async () => {
    const key = await createKey({ role: 'customer', partyId: 'cus_dana', label: 'phone' });
    const session = await signIn(key.secret);
    expect((await session()).statusCode).toBe(200);
    const res = await world.request('POST', `/v1/api-keys/${key.id}/revoke`, { key: keys.dana });
    expect(res).toMatchObject({ status: 200, body: { id: key.id, status: 'revoked' } });
    expect((await whoAmI(key.secret)).status).toBe(401);
    expect((await session()).statusCode).toBe(401);
    const again = await world.request('POST', `/v1/api-keys/${key.id}/revoke`);
    expect(again).toMatchObject({ status: 200, body: { status: 'revoked', revokedAt: res.body.revokedAt } });
  });

  it("answers 404 to a party revoking another party's key, and leaves the key working", async () => {
    const key = await createKey({ role: 'seller', partyId: 'slr_acme' });
    const res = await world.request('POST', `/v1/api-keys/${key.id}/revoke`, { key: keys.other });
    expect(res.status).toBe(404);
    expect(res.body.type).toBe('urn:redress:problem:not_found');
    expect((await whoAmI(key.secret)).status).toBe(200);
  });
});

describe('expiry', () => {
  it('ends an expiring key and its sessions when the time comes', async () => {
    const expiresAt = new Date(world.clock.now().getTime() + 3600_000).toISOString();
    const key = await createKey({ role: 'customer', partyId: 'cus_eli', expiresAt });
    expect(key.expiresAt).toBe(expiresAt);
    const session = await signIn(key.secret);
    world.clock.advance(3599);
    expect((await whoAmI(key.secret)).status).toBe(200);
    world.clock.advance(1);
    const refused = await whoAmI(key.secret);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toBe('the API key is not known, has been revoked or has expired');
    expect((await session()).statusCode).toBe(401);
  });

  it('refuses an expiry in the past, naming the field', async () => {
    const res = await world.request('POST', '/v1/api-keys', {
      body: { role: 'agent', expiresAt: '2020-01-01T00:00:00Z' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'body.expiresAt', rule: 'must be in the future' }]);
  });
});

describe('rotation', () => {
  it('issues a new key and keeps the old one working through the overlap only', async () => {
    const old = await createKey({ role: 'seller', partyId: 'slr_acme', label: 'warehouse' });
    const res = await world.request('POST', `/v1/api-keys/${old.id}/rotate`, {
      key: old.secret,
      body: { overlapSeconds: 600 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { created, previous } = res.body;
    expect(created).toMatchObject({ role: 'seller', partyId: 'slr_acme', label: 'warehouse' });
    expect(created.secret).toMatch(/^rdk_/);
    expect(previous).toMatchObject({
      id: old.id,
      status: 'active',
      replacedBy: created.id,
      expiresAt: new Date(world.clock.now().getTime() + 600_000).toISOString(),
    });
    expect((await whoAmI(created.secret)).status).toBe(200);
    world.clock.advance(599);
    expect((await whoAmI(old.secret)).status).toBe(200);
    world.clock.advance(1);
    expect((await whoAmI(old.secret)).status).toBe(401);
    expect((await whoAmI(created.secret)).status).toBe(200);
    const twice = await world.request('POST', `/v1/api-keys/${old.id}/rotate`, { body: {} });
    expect(twice.status).toBe(409);
  });

  it("refuses a party rotating another party's key", async () => {
    const key = await createKey({ role: 'seller', partyId: 'slr_acme' });
    const res = await world.request('POST', `/v1/api-keys/${key.id}/rotate`, { key: keys.other, body: {} });
    expect(res.status).toBe(404);
  });
});

describe('idempotency keys belong to the party, not to the API key', () => {
  it("replays a customer's second key retrying with the same Idempotency-Key: one claim", async () => {
    const second = (await createKey({ role: 'customer', partyId: 'cus_dana', label: 'second device' }))
      .secret;
    const body = claimBody({ orderId: 'ord_1', lineId: '2' });
    const first = await fileClaim(world, keys.dana, body, 'party-scope-0001');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await fileClaim(world, second, body, 'party-scope-0001');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    const claims = await world.request('GET', '/v1/claims?limit=200', { key: second });
    const onLine = claims.body.data.filter((c: { orderId: string; lineId: string }) => c.lineId === '2');
    expect(onLine.map((c: { id: string }) => c.id)).toEqual([first.body.id]);
  });

  it("does not replay one customer's answer to another customer using the same Idempotency-Key", async () => {
    const body = claimBody({ customerId: 'cus_eli', orderId: 'ord_2', lineId: '1' });
    const eli = await fileClaim(world, keys.eli, body, 'party-scope-0001');
    expect(eli.status, JSON.stringify(eli.body)).toBe(201);
    expect(eli.headers['idempotent-replayed']).toBeUndefined();
  });
});
