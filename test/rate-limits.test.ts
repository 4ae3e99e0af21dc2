import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
beforeAll(async () => {
  world = await createWorld({
    rateLimits: {
      windowSeconds: 60,
      authFailuresPerAddress: 3,
      signInsPerAddress: 2,
      claimFilingsPerKey: 2,
      claimFilingsPerAddress: 3,
      importsPerKey: 1,
    },
  });
  keys = await usMarketplace(world);
});
afterAll(() => world.close());

function expectLimited(res: { status: number; body: any; headers: Record<string, unknown> }) {
  expect(res.status, JSON.stringify(res.body)).toBe(429);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(res.body.type).toBe('urn:redress:problem:rate_limited');
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.body.retryAfterSeconds).toBe(retryAfter);
}

describe('rate limits', () => {
  it('refuses an address after too many wrong keys, even with a right key, but not other addresses', async () => {
    const from = '198.51.100.7';
    for (let i = 0; i < 3; i++) {
      const wrong = await world.request('GET', '/v1/claims', { key: `wrong-${i}`, remoteAddress: from });
      expect(wrong.status).toBe(401);
    }
    expectLimited(await world.request('GET', '/v1/claims', { key: 'wrong-again', remoteAddress: from }));
    expectLimited(await world.request('GET', '/v1/claims', { key: keys.dana, remoteAddress: from }));
    const elsewhere = await world.request('GET', '/v1/claims', {
      key: keys.dana,
      remoteAddress: '198.51.100.8',
    });
    expect(elsewhere.status).toBe(200);
  });

  it('does not count successful authentication', async () => {
    for (let i = 0; i < 6; i++) {
      const res = await world.request('GET', '/v1/claims', { key: keys.dana, remoteAddress: '198.51.100.9' });
      expect(res.status).toBe(200);
    }
  });

  it('limits sign-ins per address', async () => {
    const from = '198.51.100.20';
    for (let i = 0; i < 2; i++) {
      const res = await world.request('POST', '/v1/sessions', {
        key: null,
        body: { apiKey: keys.dana },
        remoteAddress: from,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    expectLimited(
      await world.request('POST', '/v1/sessions', {
        key: null,
        body: { apiKey: keys.dana },
        remoteAddress: from,
      }),
    );
  });

  it('limits claim filings per key and per address', async () => {
    const one = await world.key('customer', 'cus_dana');
    const from = '198.51.100.30';
    const file = (key: string, remoteAddress: string) =>
      world.request('POST', '/v1/claims', {
        key,
        body: claimBody({ description: '' }),
        headers: { 'idempotency-key': `limit-${Math.random()}` },
        remoteAddress,
      });
    // Bad filings count too: the limit is on attempts, not on claims stored.
    expect((await file(one, from)).status).toBe(400);
    expect((await file(one, from)).status).toBe(400);
    expectLimited(await file(one, '198.51.100.31'));
    const other = await world.key('customer', 'cus_dana');
    expect((await file(other, from)).status).toBe(400);
    expectLimited(await file(other, from));
  });

  it('limits imports per key', async () => {
    const admin = await world.key('admin');
    const send = () =>
      world.request('POST', '/v1/imports', {
        key: admin,
        payload: '',
        headers: { 'content-type': 'application/x-ndjson' },
      });
    expect((await send()).status).not.toBe(429);
    expectLimited(await send());
  });

  it('files a claim normally under the limits', async () => {
    const res = await fileClaim(world, keys.dana, claimBody());
    expect(res.status).toBe(201);
  });
});
