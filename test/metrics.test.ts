import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/app/server.ts';
import { createMetrics } from '../src/platform/metrics/metrics.ts';
import { startMetricsServer } from '../src/platform/metrics/metrics-routes.ts';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
beforeAll(async () => {
  world = await createWorld();
  keys = await usMarketplace(world);
});
afterAll(async () => world?.close());

/** The value of one series in Prometheus text, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const scrape = async () => {
  const res = await world.request('GET', '/metrics');
  expect(res.status).toBe(200);
  expect(String(res.headers['content-type'])).toContain('text/plain');
  return res.body as string;
};

describe('metrics', () => {
  it('show the domain gauges changing as a claim moves', async () => {
    const before = await scrape();
    expect(sample(before, 'redress_claims_filed_total')).toBe(0);
    expect(sample(before, 'redress_timers_overdue')).toBe(0);

    const claim = await fileClaim(world, keys.dana, claimBody());
    expect(claim.status).toBe(201);
    const filed = await scrape();
    expect(sample(filed, 'redress_claims_filed_total')).toBe(1);
    expect(sample(filed, `redress_claims{status="${claim.body.status}"}`)).toBe(1);
    // The fan-out worker has not run yet: the claim's messages wait in the outbox.
    world.clock.advance(90);
    const waiting = await scrape();
    expect(sample(waiting, 'redress_outbox_lag_seconds{stage="fanout"}')).toBeGreaterThanOrEqual(90);

    await world.work();
    const worked = await scrape();
    expect(sample(worked, 'redress_outbox_lag_seconds{stage="fanout"}')).toBe(0);
    expect(sample(worked, 'redress_screening_outcomes_total{outcome="pass"}')).toBe(1);
    const { status } = (await world.request('GET', `/v1/claims/${claim.body.id}`)).body;
    expect(status).not.toBe(claim.body.status);
    expect(sample(worked, `redress_claims{status="${status}"}`)).toBe(1);
    expect(sample(worked, `redress_claims{status="${claim.body.status}"}`)).toBeUndefined();
    expect(sample(worked, 'redress_payout_lag_seconds')).toBe(0);
  });

  it('count requests by route pattern, never by raw URL', async () => {
    await world.request('GET', '/v1/claims/clm_does_not_exist');
    const text = await scrape();
    expect(text).toMatch(
      /redress_http_requests_total\{method="POST",route="\/v1\/claims",status_code="201"\} 1/,
    );
    expect(text).toMatch(
      /redress_http_requests_total\{method="GET",route="\/v1\/claims\/:id",status_code="404"\} 1/,
    );
    expect(text).not.toContain('clm_does_not_exist');
    expect(text).toContain('redress_http_request_duration_seconds_bucket');
  });

  it('are read by an admin key or the metrics token, by no one else', async () => {
    expect((await world.request('GET', '/metrics', { key: null })).status).toBe(401);
    const seller = await world.request('GET', '/metrics', { key: keys.acme });
    expect(seller.status).toBe(403);
    expect(seller.body).toMatchObject({ type: expect.stringContaining('forbidden') });

    const token = 'metrics-token-of-twenty-four-chars';
    const app = await buildServer(world.ctx, {
      testClock: null,
      metrics: createMetrics(world.ctx, { token }),
    });
    const withToken = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
    expect(withToken.statusCode).toBe(200);
    const wrong = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}x` } });
    expect(wrong.statusCode).toBe(401);
    await app.close();
  });

  it('can be served without a key on a port of their own', async () => {
    const server = await startMetricsServer(createMetrics(world.ctx), { port: 0, host: '127.0.0.1' });
    const { port } = server.server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(sample(await res.text(), 'redress_claims_filed_total')).toBe(1);
    await server.close();
  });
});
