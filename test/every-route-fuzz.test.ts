import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../src/simulation/random.ts';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { injectInto, type KnownIds, operationsOf, runFuzz } from './support/malformed-requests.ts';

let world: World;
let keys: Array<{ role: string; secret: string | null }>;
let known: KnownIds;
beforeAll(async () => {
  world = await createWorld();
  const parties = await usMarketplace(world);
  const claim = await fileClaim(
    world,
    parties.dana,
    claimBody({ lineId: '2', amount: { value: 300_000, currency: 'USD' } }),
  );
  keys = [
    { role: 'admin', secret: world.adminKey },
    { role: 'agent', secret: parties.agent },
    { role: 'customer', secret: parties.dana },
    { role: 'seller', secret: parties.acme },
    { role: 'insurer', secret: await world.key('insurer', 'ins_harbor') },
    { role: 'expert', secret: await world.key('expert', 'exp_lee') },
    { role: 'none', secret: null },
    { role: 'wrong', secret: 'rdk_not_a_key_at_all_000000' },
  ];
  known = {
    claims: claim.body.id,
    marketplaces: 'mkt_us',
    sellers: 'slr_acme',
    customers: 'cus_dana',
    orders: 'ord_1',
    insurers: 'ins_harbor',
  };
});
afterAll(() => world.close());

describe('malformed requests to every route in the OpenAPI document, with every role', () => {
  it('answers each with 4xx problem+json and stores nothing it did not accept', async () => {
    const doc = (await world.request('GET', '/openapi.json', { key: null })).body;
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(60);
    const report = await runFuzz({
      inject: injectInto(world.app),
      db: world.ctx.db,
      operations,
      keys,
      known,
      random: new Random(Number(process.env.FUZZ_SEED ?? 14)),
      count: Number(process.env.FUZZ_REQUESTS ?? 2000),
    });
    expect(report.failures).toEqual([]);
    expect(report.unexplainedChanges).toEqual([]);
    // Every shape was sent: the generator did not quietly skip one.
    expect(Object.keys(report.byShape)).toEqual(
      expect.arrayContaining([
        'id_nul',
        'id_121_chars',
        'query_nul',
        'body_nul_string',
        'body_lone_surrogate',
      ]),
    );
  }, 600_000);
});
