import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
const DAY = 86_400;
const usd = (value: number) => ({ value, currency: 'USD' });

async function put(url: string, body: unknown) {
  const res = await world.request('PUT', url, { body });
  expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(200);
}

/** One buyer of one product, delivered yesterday, who files an injury claim today. */
async function injuryClaim(n: number, productId: string) {
  const now = world.clock.now().getTime();
  await put(`/v1/customers/cus_g${n}`, {
    marketplaceId: 'mkt_us',
    name: `Buyer ${n}`,
    email: `g${n}@example.com`,
  });
  await put(`/v1/orders/ord_g${n}`, {
    marketplaceId: 'mkt_us',
    customerId: `cus_g${n}`,
    lines: [
      {
        lineId: '1',
        productId,
        sellerId: 'slr_acme',
        quantity: 1,
        unitPrice: usd(3_999),
        deliveredAt: new Date(now - 2 * DAY * 1000).toISOString(),
      },
    ],
  });
  const filed = await fileClaim(
    world,
    await world.key('customer', `cus_g${n}`),
    claimBody({
      orderId: `ord_g${n}`,
      lineId: '1',
      type: 'personal_injury',
      incidentAt: new Date(now - DAY * 1000).toISOString(),
      description: `The casing got so hot it burned customer ${n}.`,
      amount: usd(20_000),
      damages: [{ kind: 'medical_bills', description: 'Clinic', amount: usd(20_000) }],
    }),
  );
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);
}

/** 11 claims over 10 product ids, one every 11 days (about 4 months); `brandOf(i)` names each product's brand. */
async function spreadClaims(
  brandOf: (i: number) => string,
  beforeLast: () => Promise<void> = async () => undefined,
) {
  for (let i = 0; i < 10; i++) {
    await put(`/v1/products/prd_toy${i}`, {
      sellerId: 'slr_acme',
      title: `Activity toy number ${i} with lights`,
      category: 'toys',
      brand: brandOf(i),
    });
  }
  for (let n = 0; n < 11; n++) {
    if (n === 10) await beforeLast();
    await injuryClaim(n, `prd_toy${n % 10}`);
    world.clock.advance(11 * DAY);
  }
  return (await world.request('GET', '/v1/safety/alerts', { key: keys.agent })).body.data as {
    rule: string;
    evidence: { reason: string; measure: Record<string, number>; claimIds: string[] };
    group: { kind: string; key: string; name: string; productIds: string[] } | null;
  }[];
}

describe('clusters by brand and product family', () => {
  // One world per file, emptied before each test (harness reset): a new world per test cost
  // a database and a server each time.
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(() => world.close());
  beforeEach(async () => {
    await world.reset();
    keys = await usMarketplace(world);
  });

  it('raises a brand alert for 11 claims over 10 product ids of one brand over 4 months, however the brand is spelled', async () => {
    const spellings = ['Fisher-Price', 'Fisher-Price, Inc.', 'FISHER PRICE', 'Fisher Price Co.'];
    const alerts = await spreadClaims((i) => spellings[i % spellings.length] as string);
    const brand = alerts.filter((a) => a.rule === 'brand_cluster');
    expect(brand).toHaveLength(1);
    expect(brand[0]?.evidence.measure).toMatchObject({ threshold: 8, windowDays: 90 });
    expect(brand[0]?.evidence.measure.products).toBeGreaterThanOrEqual(7);
    expect(brand[0]?.evidence.claimIds.length).toBeGreaterThanOrEqual(8);
    // Named as most of its products spell it, with its products; 11 orders of one unit each.
    expect(brand[0]?.group).toMatchObject({ kind: 'brand', key: 'fisher price', name: 'Fisher-Price' });
    // Products that gave evidence to the alert at any time; the measure counts the current window's.
    expect(brand[0]?.group?.productIds.length).toBeGreaterThanOrEqual(
      brand[0]?.evidence.measure.products ?? 99,
    );
    expect(brand[0]?.group?.productIds.every((id) => id.startsWith('prd_toy'))).toBe(true);
    expect(brand[0]?.evidence.reason).toMatch(/products of brand Fisher-Price within 90 days/);
    const { claims, unitsSold, ratePer10k } = brand[0]?.evidence.measure ?? {};
    expect(unitsSold).toBe(11);
    expect(ratePer10k).toBe(((claims ?? 0) * 10_000) / 11);
    // No single product reached its own cluster threshold.
    expect(alerts.filter((a) => a.rule === 'injury_cluster')).toEqual([]);
  }, 240_000);

  it('counts a bestseller of the brand by its units kept for the day, not by summing its order lines', async () => {
    // prd_toy0 sold 50,000 as counted today (safety/store.ts keeps it for a day); its own two
    // order lines here would say 2.
    const alerts = await spreadClaims(
      () => 'Fisher-Price',
      async () => {
        await world.ctx.db
          .insertInto('product_unit_counts')
          .values({
            marketplace_id: 'mkt_us',
            product_id: 'prd_toy0',
            units: 50_000,
            computed_at: world.clock.now(),
          })
          .execute();
      },
    );
    const brand = alerts.filter((a) => a.rule === 'brand_cluster');
    expect(brand).toHaveLength(1);
    // The last claim's measure: 50,000 kept for prd_toy0, one line each for prd_toy1 … prd_toy9.
    expect(brand[0]?.evidence.measure.unitsSold).toBe(50_009);
  }, 240_000);

  it('raises nothing for the same claims over 10 brands', async () => {
    const alerts = await spreadClaims((i) => `Maker ${String.fromCharCode(65 + i)} Toys`);
    expect(alerts.filter((a) => a.rule === 'brand_cluster' || a.rule === 'family_cluster')).toEqual([]);
  }, 240_000);
});
