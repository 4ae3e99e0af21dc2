import { expect } from 'vitest';
import type { World } from './harness.ts';

/**
 * A small US marketplace: one insured seller in good standing with a kettle and a heater,
 * a first-party product, a customer with a delivered order, and keys for each party.
 */
export async function usMarketplace(world: World, policy: Record<string, unknown> = {}) {
  const put = async (url: string, body: unknown) => {
    const res = await world.request('PUT', url, { body });
    expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };
  await put('/v1/marketplaces/mkt_us', {
    name: 'Example US',
    currency: 'USD',
    region: 'US',
    timeZone: 'America/New_York',
    policy,
  });
  await put('/v1/sellers/slr_acme', {
    marketplaceId: 'mkt_us',
    name: 'Acme Home',
    standing: 'good',
    contact: { email: 'claims@acme.example' },
  });
  await put('/v1/insurers/ins_harbor', { name: 'Harbor Mutual', financialRating: 'A' });
  await insurePolicy(world, 'slr_acme', { expiresAt: '2027-12-31T00:00:00Z' });
  await put('/v1/sellers/slr_other', {
    marketplaceId: 'mkt_us',
    name: 'Other Goods',
    standing: 'good',
    contact: { email: 'ops@other.example' },
  });
  await put('/v1/sellers/slr_retail', {
    marketplaceId: 'mkt_us',
    name: 'Example Retail (first party)',
    standing: 'good',
    kind: 'first_party',
    contact: { email: 'retail@example.com' },
  });
  await put('/v1/products/prd_kettle', {
    sellerId: 'slr_acme',
    title: 'Kettle',
    category: 'kitchen_appliances',
  });
  await put('/v1/products/prd_heater', { sellerId: 'slr_acme', title: 'Space heater', category: 'heating' });
  await put('/v1/products/prd_lamp', { sellerId: 'slr_other', title: 'Desk lamp', category: 'lighting' });
  await put('/v1/products/prd_own', {
    sellerId: 'slr_retail',
    title: 'Own-brand toaster',
    category: 'kitchen_appliances',
  });
  await put('/v1/customers/cus_dana', {
    marketplaceId: 'mkt_us',
    name: 'Dana Reyes',
    email: 'dana@example.com',
  });
  await put('/v1/customers/cus_eli', { marketplaceId: 'mkt_us', name: 'Eli Park', email: 'eli@example.com' });
  const delivered = '2026-11-02T15:00:00Z';
  await put('/v1/orders/ord_1', {
    marketplaceId: 'mkt_us',
    customerId: 'cus_dana',
    lines: [
      {
        lineId: '1',
        productId: 'prd_kettle',
        sellerId: 'slr_acme',
        quantity: 1,
        unitPrice: { value: 4999, currency: 'USD' },
        deliveredAt: delivered,
      },
      {
        lineId: '2',
        productId: 'prd_heater',
        sellerId: 'slr_acme',
        quantity: 1,
        unitPrice: { value: 12999, currency: 'USD' },
        deliveredAt: delivered,
      },
      {
        lineId: '3',
        productId: 'prd_lamp',
        sellerId: 'slr_other',
        quantity: 1,
        unitPrice: { value: 2999, currency: 'USD' },
        deliveredAt: null,
      },
      {
        lineId: '4',
        productId: 'prd_own',
        sellerId: 'slr_retail',
        quantity: 1,
        unitPrice: { value: 3999, currency: 'USD' },
        deliveredAt: delivered,
      },
      {
        lineId: '5',
        productId: 'prd_lamp',
        sellerId: 'slr_other',
        quantity: 1,
        unitPrice: { value: 2999, currency: 'USD' },
        deliveredAt: delivered,
      },
    ],
  });
  await put('/v1/orders/ord_2', {
    marketplaceId: 'mkt_us',
    customerId: 'cus_eli',
    lines: [
      {
        lineId: '1',
        productId: 'prd_heater',
        sellerId: 'slr_acme',
        quantity: 2,
        unitPrice: { value: 12999, currency: 'USD' },
        deliveredAt: delivered,
      },
    ],
  });
  return {
    dana: await world.key('customer', 'cus_dana'),
    eli: await world.key('customer', 'cus_eli'),
    acme: await world.key('seller', 'slr_acme'),
    other: await world.key('seller', 'slr_other'),
    agent: await world.key('agent'),
  };
}

/** A policy meeting the US minimum, filed for a seller and verified by its insurer (Harbor Mutual). */
export async function insurePolicy(
  world: World,
  sellerId: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; status: string }> {
  const usd = (value: number) => ({ value, currency: 'USD' });
  const filed = await world.request('POST', `/v1/sellers/${sellerId}/insurance-policies`, {
    body: {
      insurerId: 'ins_harbor',
      policyNumber: `CGL-${sellerId}-${++policyCounter}`,
      perOccurrence: usd(100_000_000),
      aggregate: usd(200_000_000),
      deductible: usd(100_000),
      additionalInsured: true,
      effectiveFrom: '2026-01-01T00:00:00Z',
      expiresAt: '2027-01-01T00:00:00Z',
      ...overrides,
    },
  });
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);
  const insurerId = (overrides.insurerId as string | undefined) ?? 'ins_harbor';
  const verified = await world.request('POST', `/v1/insurance-policies/${filed.body.id}/verification`, {
    key: await world.key('insurer', insurerId),
    body: { decision: 'verified' },
  });
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  return verified.body;
}

let policyCounter = 0;
let keyCounter = 0;

/** A claim body with damages that add up; override any field. */
export function claimBody(overrides: Record<string, unknown> = {}) {
  const value = (overrides.amount as { value: number } | undefined)?.value ?? 45_000;
  return {
    orderId: 'ord_1',
    lineId: '1',
    type: 'property_damage',
    incidentAt: '2026-11-10T20:00:00Z',
    description: 'The kettle base overheated and scorched the counter.',
    amount: { value, currency: 'USD' },
    damages: [{ kind: 'property_damage', description: 'Counter repair', amount: { value, currency: 'USD' } }],
    ...overrides,
  };
}

export async function fileClaim(world: World, key: string, body: unknown, idempotencyKey?: string) {
  return world.request('POST', '/v1/claims', {
    key,
    body,
    headers: { 'idempotency-key': idempotencyKey ?? `test-key-${++keyCounter}-${Date.now()}` },
  });
}

const FIXTURE_PRODUCTS = {
  prd_kettle: { sellerId: 'slr_acme', price: 4999 },
  prd_heater: { sellerId: 'slr_acme', price: 12999 },
} as const;

/** A one-line order of a fixture product (sold by Acme), delivered on 2 November 2026. */
export async function deliveredOrder(
  world: World,
  orderId: string,
  customerId: string,
  productId: keyof typeof FIXTURE_PRODUCTS = 'prd_kettle',
) {
  const { sellerId, price } = FIXTURE_PRODUCTS[productId];
  const res = await world.request('PUT', `/v1/orders/${orderId}`, {
    body: {
      marketplaceId: 'mkt_us',
      customerId,
      lines: [
        {
          lineId: '1',
          productId,
          sellerId,
          quantity: 1,
          unitPrice: { value: price, currency: 'USD' },
          deliveredAt: '2026-11-02T15:00:00Z',
        },
      ],
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}
