import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, TEST_START, type World } from './harness.ts';

/**
 * Files that share one world between their tests rely on `world.reset()` leaving nothing of the
 * test before: no row in any table, the clock at its start, the old keys refused.
 */
let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.close());

describe("the test world's reset", () => {
  it('leaves no row, no key and no time of the test before', async () => {
    const keys = await usMarketplace(world);
    const filed = await fileClaim(world, keys.eli, claimBody());
    expect(filed.status).toBe(201);
    await world.advance(3 * 86_400);
    const oldAdmin = world.adminKey;

    await world.reset();

    const { rows } = await sql<{ name: string; n: number }>`
      select c.relname as name,
        (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %I', c.relname), false, true, '')))[1]::text::int as n
      from pg_class c join pg_namespace s on s.oid = c.relnamespace
      where s.nspname = 'public' and c.relkind = 'r' and c.relname not like 'kysely\\_%'`.execute(
      world.ctx.db,
    );
    expect(rows.length).toBeGreaterThan(50);
    // Only the new admin key the reset made.
    expect(rows.filter((r) => r.n > 0)).toEqual([{ name: 'api_keys', n: 1 }]);
    expect(world.clock.now()).toEqual(TEST_START);
    expect((await world.request('GET', '/v1/claims', { key: oldAdmin })).status).toBe(401);
    expect((await world.request('GET', '/v1/claims')).body.data).toEqual([]);
  });

  it('serves the next test as a new world would: the same ids can be made again', async () => {
    const keys = await usMarketplace(world);
    const filed = await fileClaim(world, keys.eli, claimBody());
    expect(filed.status).toBe(201);
    expect(filed.body.claimNumber).toBeTruthy();
  });
});
