import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/app/server.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.close());

describe('operations endpoints', () => {
  it('answers /healthz and /readyz without a key', async () => {
    expect(await world.request('GET', '/healthz', { key: null })).toMatchObject({
      status: 200,
      body: { status: 'ok' },
    });
    const ready = await world.request('GET', '/readyz', { key: null });
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('serves an OpenAPI 3.1 document listing every route, and the docs page', async () => {
    const doc = await world.request('GET', '/openapi.json', { key: null });
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    for (const path of [
      '/v1/claims',
      '/v1/claims/{id}/seller-response',
      '/v1/marketplaces/{id}',
      '/v1/api-keys',
    ]) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    expect(world.app.hasRoute({ method: 'GET', url: '/v1/claims' })).toBe(true);
    expect(world.app.hasRoute({ method: 'GET', url: '/app/*' })).toBe(true);
    const docs = await world.request('GET', '/docs/', { key: null });
    expect(docs.status).toBe(200);
    expect(String(docs.body)).toContain('swagger');
  });
});

describe('problem+json errors', () => {
  it('answers an unknown route with a 404 problem', async () => {
    const res = await world.request('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({
      type: 'urn:redress:problem:not_found',
      status: 404,
      title: 'Not found',
    });
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await world.request('POST', '/v1/api-keys', {
      payload: '{"role": "admin",',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('urn:redress:problem:malformed_request');
  });

  it('names the failing field and the rule', async () => {
    const res = await world.request('POST', '/v1/api-keys', { body: { role: 'wizard' } });
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('urn:redress:problem:validation_failed');
    expect(res.body.errors).toEqual([{ field: 'body.role', rule: expect.stringContaining('admin') }]);
  });
});

describe('API keys', () => {
  it('refuses a missing or unknown key with 401', async () => {
    expect((await world.request('GET', '/v1/claims', { key: null })).status).toBe(401);
    const wrong = await world.request('GET', '/v1/claims', { key: 'rdk_not-a-real-key' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.type).toBe('urn:redress:problem:unauthenticated');
  });

  it('lets an admin create a key whose secret is shown once and works at once', async () => {
    const created = await world.request('POST', '/v1/api-keys', { body: { role: 'agent', label: 'desk 1' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ role: 'agent', partyId: null, label: 'desk 1' });
    expect(created.body.secret).toMatch(/^rdk_/);
    expect((await world.request('GET', '/v1/claims', { key: created.body.secret })).status).toBe(200);
  });

  it('requires a party for party roles and refuses one for staff roles', async () => {
    const noParty = await world.request('POST', '/v1/api-keys', { body: { role: 'seller' } });
    expect(noParty.status).toBe(400);
    expect(noParty.body.errors).toEqual([{ field: 'body.partyId', rule: 'required for role seller' }]);
    const staffParty = await world.request('POST', '/v1/api-keys', { body: { role: 'agent', partyId: 'x' } });
    expect(staffParty.status).toBe(400);
  });

  it('stores only a hash of the secret', async () => {
    const created = await world.request('POST', '/v1/api-keys', { body: { role: 'agent' } });
    const rows = await world.ctx.db.selectFrom('api_keys').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(created.body.secret);
  });

  it('refuses a non-admin key on admin routes with 403', async () => {
    const agent = await world.key('agent');
    const res = await world.request('POST', '/v1/api-keys', { key: agent, body: { role: 'admin' } });
    expect(res.status).toBe(403);
    expect(res.body.type).toBe('urn:redress:problem:forbidden');
  });
});

describe('the test clock', () => {
  it('tells the time and moves it, running due timers', async () => {
    const before = await world.request('GET', '/v1/test-clock');
    expect(before.body.now).toBe(world.clock.now().toISOString());
    const moved = await world.request('POST', '/v1/test-clock/advance', { body: { seconds: 3600 } });
    expect(moved.status).toBe(200);
    expect(new Date(moved.body.now).getTime() - new Date(before.body.now).getTime()).toBe(3_600_000);
  });

  it('lets only an admin move it', async () => {
    const agent = await world.key('agent');
    expect(
      (await world.request('POST', '/v1/test-clock/advance', { key: agent, body: { seconds: 1 } })).status,
    ).toBe(403);
  });
});

describe('without REDRESS_TEST_CLOCK', () => {
  it('has no test-clock routes at all', async () => {
    const app = await buildServer(world.ctx, { testClock: null });
    await app.ready();
    try {
      const headers = { authorization: `Bearer ${world.adminKey}`, 'content-type': 'application/json' };
      expect((await app.inject({ method: 'GET', url: '/v1/test-clock', headers })).statusCode).toBe(404);
      const advance = await app.inject({
        method: 'POST',
        url: '/v1/test-clock/advance',
        headers,
        payload: '{"seconds":60}',
      });
      expect(advance.statusCode).toBe(404);
      const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
        paths: Record<string, unknown>;
      };
      expect(Object.keys(doc.paths).filter((p) => p.includes('test-clock'))).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
