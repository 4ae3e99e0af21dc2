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

/** Orders `quantity` units of a product, as one order line. */
async function sold(orderId: string, productId: 'prd_heater' | 'prd_lamp', quantity: number) {
  const res = await world.request('PUT', `/v1/orders/${orderId}`, {
    body: {
      marketplaceId: 'mkt_us',
      customerId: 'cus_dana',
      lines: [
        {
          lineId: '1',
          productId,
          sellerId: productId === 'prd_heater' ? 'slr_acme' : 'slr_other',
          quantity,
          unitPrice: { value: 4_999, currency: 'USD' },
          deliveredAt: '2026-11-02T15:00:00Z',
        },
      ],
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

type SafetyKey = Parameters<typeof productSafetyCounts>[1];
const windowAt = (now: Date) => ({ cluster: new Date(now.getTime() - 86_400_000), rate: now, now });

/**
 * Two filings' safety counts at once: the first holds its transaction open (the rest of its filing,
 * uncommitted) while the second counts under a 200 ms lock timeout, so a wait fails it.
 */
async function twoFilingsAtOnce(key: SafetyKey, first: Date, second: Date) {
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
    await firstHolds;
    return counts;
  });
  await firstHasCounted;
  const secondFiling = world.ctx.db.transaction().execute(async (tx) => {
    await sql`set local lock_timeout = '200ms'`.execute(tx);
    return productSafetyCounts(tx, key, windowAt(second));
  });
  await secondFiling.catch(() => undefined);
  releaseFirst();
  return Promise.all([firstFiling, secondFiling]);
}

// Two filings at once need two sessions: PGlite has one, so these run on the PostgreSQL server.
describe.skipIf(!process.env.DATABASE_URL)(
  'counts kept for a day, found stale by two filings at once',
  () => {
    it('a category: counted by every filing that finds it so, and stored by one without the others waiting for it', async () => {
      const key = { productId: 'prd_heater', hazard: 'fire', marketplaceId: 'mkt_us', category: 'heating' };
      const first = new Date('2026-11-16T15:00:00Z');
      const [firstCounts, secondCounts] = await twoFilingsAtOnce(
        key,
        first,
        new Date('2026-11-16T15:00:01Z'),
      );
      expect(secondCounts.category).toEqual(firstCounts.category);
      const stored = await world.ctx.db
        .selectFrom('category_baselines')
        .select(['computed_at'])
        .where('marketplace_id', '=', key.marketplaceId)
        .where('category', '=', key.category)
        .execute();
      expect(stored.map((row) => row.computed_at.toISOString())).toEqual([first.toISOString()]);
    });

    it("a bestseller's units sold: the same, one filing stores them and the other does not wait", async () => {
      await sold('ord_lamps', 'prd_lamp', PRODUCT_UNITS_KEPT_FROM + 1);
      const key = { productId: 'prd_lamp', hazard: 'fire', marketplaceId: 'mkt_us', category: 'lighting' };
      const first = new Date('2026-11-16T16:00:00Z');
      const [firstCounts, secondCounts] = await twoFilingsAtOnce(
        key,
        first,
        new Date('2026-11-16T16:00:01Z'),
      );
      expect(firstCounts.units).toBeGreaterThan(PRODUCT_UNITS_KEPT_FROM);
      expect(secondCounts.units).toBe(firstCounts.units);
      const stored = await world.ctx.db
        .selectFrom('product_unit_counts')
        .select(['units', 'computed_at'])
        .where('product_id', '=', 'prd_lamp')
        .execute();
      expect(stored.map((row) => [Number(row.units), row.computed_at.toISOString()])).toEqual([
        [firstCounts.units, first.toISOString()],
      ]);
    });
  },
);

describe("a product's units sold, as the safety thresholds read them", () => {
  const key = { productId: 'prd_heater', hazard: 'fire', marketplaceId: 'mkt_us', category: 'heating' };
  const unitsAt = async (iso: string) => {
    const window = windowAt(new Date(iso));
    return (await world.ctx.db.transaction().execute((tx) => productSafetyCounts(tx, key, window))).units;
  };

  it("are counted afresh at every filing while few, and a bestseller's kept for a day", async () => {
    const before = await unitsAt('2026-11-16T15:00:00Z');
    await sold('ord_units_1', 'prd_heater', 10);
    expect(await unitsAt('2026-11-16T15:00:01Z')).toBe(before + 10);
    await sold('ord_units_2', 'prd_heater', PRODUCT_UNITS_KEPT_FROM);
    const bestseller = before + 10 + PRODUCT_UNITS_KEPT_FROM;
    expect(await unitsAt('2026-11-16T15:00:02Z')).toBe(bestseller);
    // From here the count is kept: sales within the day are not summed again at each filing.
    await sold('ord_units_3', 'prd_heater', 7);
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
