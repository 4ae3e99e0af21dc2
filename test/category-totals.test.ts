import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productSafetyCounts } from '../src/safety/store.ts';
import { usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

// Two filings at once need two sessions: PGlite has one, so this runs on the PostgreSQL server.
describe.skipIf(!process.env.DATABASE_URL)('a category whose cached totals are stale', () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
    await usMarketplace(world);
  });
  afterAll(() => world.close());

  const key = { productId: 'prd_heater', hazard: 'fire', marketplaceId: 'mkt_us', category: 'heating' };
  const windowAt = (now: Date) => ({ cluster: new Date(now.getTime() - 86_400_000), rate: now, now });

  it('is counted by every filing that finds it so, and stored by one without the others waiting for it', async () => {
    const first = new Date('2026-11-16T15:00:00Z');
    const second = new Date('2026-11-16T15:00:01Z');
    let releaseFirst: () => void = () => undefined;
    const firstHolds = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let firstCounted: () => void = () => undefined;
    const firstHasCounted = new Promise<void>((resolve) => {
      firstCounted = resolve;
    });
    const firstFiling = world.ctx.db.transaction().execute(async (tx) => {
      const counts = await productSafetyCounts(tx, key, windowAt(first));
      firstCounted();
      await firstHolds; // the rest of its filing, uncommitted
      return counts;
    });
    await firstHasCounted;
    // The second filing may not wait for the first: a lock wait fails it at once.
    const secondFiling = world.ctx.db.transaction().execute(async (tx) => {
      await sql`set local lock_timeout = '200ms'`.execute(tx);
      return productSafetyCounts(tx, key, windowAt(second));
    });
    await secondFiling.catch(() => undefined);
    releaseFirst();
    const [firstCounts, secondCounts] = await Promise.all([firstFiling, secondFiling]);

    expect(secondCounts.category).toEqual(firstCounts.category);
    const stored = await world.ctx.db
      .selectFrom('category_baselines')
      .select(['computed_at'])
      .where('marketplace_id', '=', key.marketplaceId)
      .where('category', '=', key.category)
      .execute();
    expect(stored.map((row) => row.computed_at.toISOString())).toEqual([first.toISOString()]);
  });
});
