import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_KEYS } from '../src/demo/seed-demo.ts';
import { createApiKey } from '../src/platform/auth/api-keys.ts';
import { claimBody, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
beforeAll(async () => {
  world = await createWorld({ demoSignIn: true });
  keys = await usMarketplace(world);
});
afterAll(() => world.close());

/** Signs in with a key and returns the cookie header a browser would send, and the CSRF token. */
async function signIn(apiKey: string) {
  const res = await world.app.inject({ method: 'POST', url: '/v1/sessions', payload: { apiKey } });
  expect(res.statusCode, res.body).toBe(201);
  const cookies = res.cookies as {
    name: string;
    value: string;
    httpOnly?: boolean;
    sameSite?: string;
    secure?: boolean;
  }[];
  return {
    res,
    cookies,
    cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; '),
    csrf: res.json().csrfToken as string,
  };
}

describe('people sign in with a session', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie and a readable CSRF cookie, acting as the key', async () => {
    const { res, cookies, cookie } = await signIn(keys.dana);
    expect(res.json()).toMatchObject({ role: 'customer', partyId: 'cus_dana', via: 'session' });
    const session = cookies.find((c) => c.name === 'redress_session');
    const csrf = cookies.find((c) => c.name === 'redress_csrf');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: true });
    expect(csrf).toMatchObject({ sameSite: 'Strict', secure: true });
    expect(csrf?.httpOnly).toBeFalsy();
    const me = await world.app.inject({ method: 'GET', url: '/v1/session', headers: { cookie } });
    expect(me.json()).toMatchObject({ role: 'customer', partyId: 'cus_dana', via: 'session' });
    const claims = await world.app.inject({ method: 'GET', url: '/v1/claims', headers: { cookie } });
    expect(claims.statusCode).toBe(200);
  });

  it('refuses a change without the CSRF header, and accepts it with it', async () => {
    const { cookie, csrf } = await signIn(keys.dana);
    const body = claimBody();
    const post = (headers: Record<string, string>) =>
      world.app.inject({
        method: 'POST',
        url: '/v1/claims',
        headers: {
          cookie,
          'content-type': 'application/json',
          'idempotency-key': 'session-claim-0001',
          ...headers,
        },
        payload: JSON.stringify(body),
      });
    const forged = await post({});
    expect(forged.statusCode).toBe(403);
    expect(forged.json().detail).toBe(
      "a signed-in request that changes something must carry the x-csrf-token header with the session's CSRF token",
    );
    expect((await post({ 'x-csrf-token': 'not-the-token-at-all-000000000000' })).statusCode).toBe(403);
    const filed = await post({ 'x-csrf-token': csrf });
    expect(filed.statusCode).toBe(201);
    expect(filed.json().customerId).toBe('cus_dana');
  });

  it('keeps a signed-in seller to its own claims, as its key would', async () => {
    const { cookie } = await signIn(keys.other);
    const list = await world.app.inject({ method: 'GET', url: '/v1/claims', headers: { cookie } });
    expect(list.json().data).toEqual([]);
    const decide = await world.app.inject({ method: 'GET', url: '/v1/safety/alerts', headers: { cookie } });
    expect(decide.statusCode).toBe(403);
  });

  it('ends at sign-out, at its expiry, and when its key is revoked', async () => {
    const out = await signIn(keys.dana);
    const bye = await world.app.inject({
      method: 'DELETE',
      url: '/v1/session',
      headers: { cookie: out.cookie, 'x-csrf-token': out.csrf },
    });
    expect(bye.statusCode).toBe(204);
    const after = await world.app.inject({
      method: 'GET',
      url: '/v1/session',
      headers: { cookie: out.cookie },
    });
    expect(after.statusCode).toBe(401);
    expect(after.json().detail).toBe('the session has ended: sign in again');

    const later = await signIn(keys.dana);
    await world.advance(12 * 3_600 + 1);
    expect(
      (await world.app.inject({ method: 'GET', url: '/v1/session', headers: { cookie: later.cookie } }))
        .statusCode,
    ).toBe(401);

    const key = await createApiKey(world.ctx.db, world.clock, { role: 'agent' });
    const agent = await signIn(key.secret);
    await world.ctx.db
      .updateTable('api_keys')
      .set({ revoked_at: world.clock.now() })
      .where('id', '=', key.id)
      .execute();
    expect(
      (await world.app.inject({ method: 'GET', url: '/v1/session', headers: { cookie: agent.cookie } }))
        .statusCode,
    ).toBe(401);
  });

  it('refuses an unknown key, and a machine still uses its key without cookies or CSRF', async () => {
    const res = await world.app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { apiKey: 'rdk_not_a_real_key_0000' },
    });
    expect(res.statusCode).toBe(401);
    const me = await world.request('GET', '/v1/session', { key: keys.acme });
    expect(me.body).toMatchObject({ role: 'seller', partyId: 'slr_acme', via: 'api_key', csrfToken: null });
  });

  it('offers one-click demo sign-ins only where the demo is enabled', async () => {
    for (const k of DEMO_KEYS)
      await createApiKey(world.ctx.db, world.clock, { role: k.role, partyId: k.partyId, secret: k.secret });
    const demo = await world.app.inject({
      method: 'POST',
      url: '/v1/sessions/demo',
      payload: { role: 'expert' },
    });
    expect(demo.statusCode).toBe(201);
    expect(demo.json()).toMatchObject({ role: 'expert', partyId: 'exp-lee' });
    const plain = await createWorld();
    try {
      const refused = await plain.app.inject({
        method: 'POST',
        url: '/v1/sessions/demo',
        payload: { role: 'admin' },
      });
      expect(refused.statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

describe('a customer’s orders', () => {
  it('lists its own orders with their lines, and refuses another customer’s', async () => {
    const own = await world.request('GET', '/v1/orders', { key: keys.dana });
    expect(own.body.data.map((o: { id: string }) => o.id)).toEqual(['ord_1']);
    expect(own.body.data[0].lines).toHaveLength(5);
    expect((await world.request('GET', '/v1/orders?customerId=cus_eli', { key: keys.dana })).status).toBe(
      403,
    );
    const staff = await world.request('GET', '/v1/orders?customerId=cus_eli', { key: keys.agent });
    expect(staff.body.data.map((o: { id: string }) => o.id)).toEqual(['ord_2']);
    const unnamed = await world.request('GET', '/v1/orders', { key: keys.agent });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.errors).toEqual([{ field: 'querystring.customerId', rule: 'required for staff' }]);
  });
});
