import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed-demo.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld({ demoSignIn: true, trustProxy: true });
  // The bare demo: these tests read headers and the demo sign-in, not the quarter (test/demo-seed.test.ts).
  await seedDemo(world.ctx, { claimsPerDay: 0 });
});
afterAll(() => world.close());

function csp(headers: Record<string, unknown>): Map<string, string> {
  return new Map(
    String(headers['content-security-policy'])
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(' ')[0]!, d.slice(d.indexOf(' ') + 1)]),
  );
}

describe('security headers', () => {
  it.each(['/app/', '/docs', '/docs/static/index.html', '/v1/claims', '/healthz'])(
    '%s gets a strict policy: scripts from our origin only, never framed',
    async (path) => {
      const res = await world.request('GET', path);
      const policy = csp(res.headers);
      expect(policy.get('script-src')).toBe("'self'");
      expect(policy.get('frame-ancestors')).toBe("'none'");
      expect(policy.get('object-src')).toBe("'none'");
      expect(policy.has('upgrade-insecure-requests')).toBe(false);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    },
  );

  it('sends HSTS only over TLS, as a trusted proxy reports it', async () => {
    const plain = await world.request('GET', '/healthz');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const tls = await world.request('GET', '/healthz', { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
  });

  it('serves Swagger UI without inline script', async () => {
    const page = await world.request('GET', '/docs/');
    expect(page.status).toBe(200);
    expect(String(page.body)).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('answers 429 as problem+json too (see rate-limits.test.ts) and keeps the headers on problems', async () => {
    const res = await world.request('GET', '/v1/claims', { key: 'not-a-key' });
    expect(res.status).toBe(401);
    expect(csp(res.headers).get('frame-ancestors')).toBe("'none'");
  });
});

describe('the demo sign-in', () => {
  it('signs in a request from this machine', async () => {
    const res = await world.request('POST', '/v1/sessions/demo', { key: null, body: { role: 'customer' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it.each(['203.0.113.5', '10.0.0.2', '::ffff:192.168.1.4'])('refuses a request from %s', async (from) => {
    const res = await world.request('POST', '/v1/sessions/demo', {
      key: null,
      body: { role: 'admin' },
      remoteAddress: from,
    });
    expect(res.status).toBe(403);
    expect(res.body.detail).toBe('the demo sign-in answers only requests from this machine (loopback)');
  });

  it('refuses a loopback request relayed by a proxy for someone else', async () => {
    const res = await world.request('POST', '/v1/sessions/demo', {
      key: null,
      body: { role: 'admin' },
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(res.status).toBe(403);
  });

  it('does not exist without --demo', async () => {
    const plain = await createWorld();
    try {
      const res = await plain.request('POST', '/v1/sessions/demo', { key: null, body: { role: 'admin' } });
      expect(res.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
