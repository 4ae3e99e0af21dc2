import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

/** What each audience sees of one claim (src/claims/views.ts): names, the seller's answer, the cover. */

const DEFENSE = 'The heater was used outdoors against the manual’s warnings.';

async function disputedClaim(world: World, keys: Awaited<ReturnType<typeof usMarketplace>>) {
  const filed = await fileClaim(
    world,
    keys.dana,
    claimBody({ lineId: '2', amount: { value: 250_000, currency: 'USD' } }),
  );
  expect(filed.body.status, JSON.stringify(filed.body)).toBe('awaiting_seller');
  const answered = await world.request('POST', `/v1/claims/${filed.body.id}/seller-response`, {
    key: keys.acme,
    body: { action: 'dispute', defense: DEFENSE },
  });
  expect(answered.status, JSON.stringify(answered.body)).toBe(200);
  return filed.body.id as string;
}

describe('the claim view by audience (default policy: the seller is not told the claimant’s name)', () => {
  let world: World;
  let keys: Awaited<ReturnType<typeof usMarketplace>>;
  let id: string;
  beforeAll(async () => {
    world = await createWorld();
    keys = await usMarketplace(world);
    id = await disputedClaim(world, keys);
  });
  afterAll(() => world.close());
  const view = async (key: string) => (await world.request('GET', `/v1/claims/${id}`, { key })).body;

  it('shows staff everything: names, the defence, a readable claim number', async () => {
    const claim = await view(keys.agent);
    expect(claim).toMatchObject({
      productTitle: 'Space heater',
      sellerName: 'Acme Home',
      customerName: 'Dana Reyes',
      sellerResponse: { action: 'dispute', defense: DEFENSE },
    });
    expect(claim.claimNumber).toBe(`R-${id.slice(-8, -4).toUpperCase()}-${id.slice(-4).toUpperCase()}`);
  });

  it('shows the claimant that the seller disputed, never its defence text, insurer or policy', async () => {
    const claim = await view(keys.dana);
    expect(claim).toMatchObject({
      productTitle: 'Space heater',
      sellerName: 'Acme Home',
      customerName: 'Dana Reyes',
    });
    expect(claim.sellerResponse).toEqual({ action: 'dispute', defense: null, evidenceIds: [], late: false });
    expect(claim.insurerId).toBeNull();
    expect(claim.coveringPolicyId).toBeNull();
    const listed = await world.request('GET', '/v1/claims', { key: keys.dana });
    expect(JSON.stringify(listed.body)).not.toContain(DEFENSE);
  });

  it('tells the claimant nothing of the seller’s insurer while staff see it', async () => {
    const filed = await fileClaim(
      world,
      keys.eli,
      claimBody({ orderId: 'ord_2', amount: { value: 250_000, currency: 'USD' } }),
    );
    expect(filed.body.status, JSON.stringify(filed.body)).toBe('awaiting_seller');
    const tendered = await world.request('POST', `/v1/claims/${filed.body.id}/seller-response`, {
      key: keys.acme,
      body: { action: 'tender' },
    });
    expect(tendered.status, JSON.stringify(tendered.body)).toBe(200);
    const staff = (await world.request('GET', `/v1/claims/${filed.body.id}`, { key: keys.agent })).body;
    expect(staff.insurerId).toBe('ins_harbor');
    const claimant = (await world.request('GET', `/v1/claims/${filed.body.id}`, { key: keys.eli })).body;
    expect(claimant.insurerId).toBeNull();
    expect(claimant.coveringPolicyId).toBeNull();
    expect(claimant.customerName).toBe('Eli Park');
  });

  it('shows the seller its own answer, not the claimant’s name', async () => {
    const claim = await view(keys.acme);
    expect(claim.sellerResponse).toMatchObject({ action: 'dispute', defense: DEFENSE });
    expect(claim).toMatchObject({
      productTitle: 'Space heater',
      sellerName: 'Acme Home',
      customerName: null,
    });
  });
});

describe('a policy that lets the seller see the claimant’s name', () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(() => world.close());

  it('names the claimant to the seller', async () => {
    const keys = await usMarketplace(world, { sellerSeesCustomerName: true });
    const id = await disputedClaim(world, keys);
    const claim = (await world.request('GET', `/v1/claims/${id}`, { key: keys.acme })).body;
    expect(claim.customerName).toBe('Dana Reyes');
  });
});
