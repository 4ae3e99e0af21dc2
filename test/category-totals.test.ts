import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCT_UNITS_KEPT_FROM, productSafetyCounts } from '../src/safety/store.ts';
import { usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
  await usMarketplace(world);
});
afterAll(() => world.close());

// Two filings at once need two sessions: PGlite has one, so this runs on the PostgreSQL server.
describe.skipIf(!process.env.DATABASE_URL)('a category whose cached totals are stale', () => {
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

describe("a product's units sold, as the safety thresholds read them", () => {
  const key = { productId: 'prd_heater', hazard: 'fire', marketplaceId: 'mkt_us', category: 'heating' };
  const sold = async (orderId: string, quantity: number) => {
    const res = await world.request('PUT', `/v1/orders/${orderId}`, {
      body: {
        marketplaceId: 'mkt_us',
        customerId: 'cus_dana',
        lines: [
          {
            lineId: '1',
            productId: 'prd_heater',
            sellerId: 'slr_acme',
            quantity,
            unitPrice: { value: 4_999, currency: 'USD' },
            deliveredAt: '2026-11-02T15:00:00Z',
          },
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const unitsAt = async (iso: string) => {
    const now = new Date(iso);
    const window = { cluster: new Date(now.getTime() - 86_400_000), rate: now, now };
    return (await world.ctx.db.transaction().execute((tx) => productSafetyCounts(tx, key, window))).units;
  };

  it("are counted afresh at every filing while few, and a bestseller's kept for a day", async () => {
    const before = await unitsAt('2026-11-16T15:00:00Z');
    await sold('ord_units_1', 10);
    expect(await unitsAt('2026-11-16T15:00:01Z')).toBe(before + 10);
    await sold('ord_units_2', PRODUCT_UNITS_KEPT_FROM);
    const bestseller = before + 10 + PRODUCT_UNITS_KEPT_FROM;
    expect(await unitsAt('2026-11-16T15:00:02Z')).toBe(bestseller);
    // From here the count is kept: sales within the day are not summed again at each filing.
    await sold('ord_units_3', 7);
    expect(await unitsAt('2026-11-17T15:00:01Z')).toBe(bestseller);
    expect(await unitsAt('2026-11-17T15:00:03Z')).toBe(bestseller + 7);
    const kept = await world.ctx.db
      .selectFrom('product_unit_counts')
      .select(['units', 'computed_at'])
      .where('product_id', '=', 'prd_heater')
      .execute();
    expect(kept.map((row) => [Number(row.units), row.computed_at.toISOString()])).toEqual([
      [bestseller + 7, '2026-11-17T15:00:03.000Z'],
    ]);
  });
});
