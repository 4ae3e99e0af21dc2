import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

/** The API additions behind the admin, safety and insurer screens (issue 20). */
let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
beforeAll(async () => {
  world = await createWorld();
  keys = await usMarketplace(world);
});
afterAll(() => world.close());

const marketplace = (policy: Record<string, unknown>) => ({
  name: 'Example US',
  currency: 'USD',
  region: 'US',
  timeZone: 'America/New_York',
  policy,
});

describe('marketplaces and their policy versions', () => {
  it('lists marketplaces, every policy version newest first, and what changed between two', async () => {
    const list = await world.request('GET', '/v1/marketplaces', { key: keys.agent });
    expect(list.status).toBe(200);
    expect(list.body.data.map((m: { id: string }) => m.id)).toContain('mkt_us');

    await world.request('PUT', '/v1/marketplaces/mkt_us', { body: marketplace({ smallClaimLimit: 50_000 }) });
    // The same body again makes no version.
    await world.request('PUT', '/v1/marketplaces/mkt_us', { body: marketplace({ smallClaimLimit: 50_000 }) });
    await world.request('PUT', '/v1/marketplaces/mkt_us', {
      body: marketplace({ smallClaimLimit: 50_000, sellerResponseBusinessDays: 3 }),
    });
    const versions = await world.request('GET', '/v1/marketplaces/mkt_us/policy-versions');
    expect(versions.status).toBe(200);
    expect(versions.body.data.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    expect(versions.body.data[0].policy.sellerResponseBusinessDays).toBe(3);

    const diff = await world.request('GET', '/v1/marketplaces/mkt_us/policy-diff?from=1&to=3');
    expect(diff.status).toBe(200);
    expect(diff.body.changes).toEqual([
      { path: 'sellerResponseBusinessDays', change: 'changed', before: 2, after: 3 },
      { path: 'smallClaimLimit', change: 'changed', before: 100_000, after: 50_000 },
    ]);
    const backwards = await world.request('GET', '/v1/marketplaces/mkt_us/policy-diff?from=3&to=2');
    expect(backwards.body.changes).toEqual([
      { path: 'sellerResponseBusinessDays', change: 'changed', before: 3, after: 2 },
    ]);
  });

  it('names the field of a version the marketplace does not have, and 404s an unknown marketplace', async () => {
    const missing = await world.request('GET', '/v1/marketplaces/mkt_us/policy-diff?from=1&to=99');
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([{ field: 'query.to', rule: expect.stringContaining('version 99') }]);
    const unknown = await world.request('GET', '/v1/marketplaces/mkt_nowhere/policy-versions');
    expect(unknown.status).toBe(404);
    const customer = await world.request('GET', '/v1/marketplaces', { key: keys.dana });
    expect(customer.status).toBe(403);
  });
});

describe('the screens’ other reads', () => {
  it('counts an expert’s open and overdue referrals', async () => {
    await world.request('PUT', '/v1/experts/exp_lee', {
      body: { marketplaceId: 'mkt_us', organisation: 'Veritas Claims Investigation', name: 'J. Lee' },
    });
    const experts = await world.request('GET', '/v1/experts', { key: keys.agent });
    expect(experts.body.data).toContainEqual(
      expect.objectContaining({ id: 'exp_lee', openReferrals: 0, overdueReferrals: 0 }),
    );
  });

  it('charts claims by brand and hazard per week', async () => {
    await world.request('PUT', '/v1/products/prd_heater', {
      body: { sellerId: 'slr_acme', title: 'Space heater', category: 'heating', brand: 'WarmHome' },
    });
    const filed = await fileClaim(
      world,
      keys.dana,
      claimBody({
        lineId: '2',
        description: 'The heater caught fire and burned the rug and the curtains in the bedroom.',
      }),
    );
    expect(filed.status).toBe(201);
    // A person's coding counts whether or not the classifier was sure (a pending claim is left out).
    const coded = await world.request('POST', `/v1/safety/hazard-coding/${filed.body.id}`, {
      key: keys.agent,
      body: { hazard: 'fire_burn', severity: 'property_damage' },
    });
    expect(coded.status).toBe(200);
    const clusters = await world.request('GET', '/v1/safety/clusters', { key: keys.agent });
    expect(clusters.status).toBe(200);
    // By default the 12 weeks up to and including this one.
    expect(clusters.body.weeks).toHaveLength(12);
    const warm = clusters.body.series.find((s: { brand: string }) => s.brand === 'WarmHome');
    expect(warm).toMatchObject({ hazard: 'fire_burn', total: 1 });
    expect(warm.counts.at(-1)).toBe(1);
    const wrongWay = await world.request(
      'GET',
      '/v1/safety/clusters?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z',
      {
        key: keys.agent,
      },
    );
    expect(wrongWay.status).toBe(422);
  });

  it('lets an insurer read the evidence of a claim tendered to it, and no other', async () => {
    const insurer = await world.key('insurer', 'ins_harbor');
    const filed = (await fileClaim(world, keys.dana, claimBody())).body;
    const before = await world.request('GET', `/v1/claims/${filed.id}/evidence`, { key: insurer });
    expect(before.status).toBe(404);
    const big = (
      await fileClaim(
        world,
        keys.eli,
        claimBody({
          orderId: 'ord_2',
          lineId: '1',
          amount: { value: 250_000, currency: 'USD' },
          damages: [
            { kind: 'property_damage', description: 'Sofa', amount: { value: 250_000, currency: 'USD' } },
          ],
          description: 'The heater set fire to the sofa cushions in the living room.',
        }),
      )
    ).body;
    const tendered = await world.request('POST', `/v1/claims/${big.id}/seller-response`, {
      key: keys.acme,
      body: { action: 'tender' },
    });
    expect(tendered.body.status).toBe('awaiting_insurer');
    const evidence = await world.request('GET', `/v1/claims/${big.id}/evidence`, { key: insurer });
    expect(evidence.status).toBe(200);
    expect(Array.isArray(evidence.body.data)).toBe(true);
  });
});
