import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, deliveredOrder, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

/**
 * A third-party administrator (role tpa) over HTTP: assigned to one marketplace by an admin, it
 * works that marketplace's claims as its agents do, every action recorded as the TPA's; it never
 * reaches another marketplace's claims nor admin routes, and loses access when unassigned.
 */

type Keys = Awaited<ReturnType<typeof usMarketplace>>;

/** A second marketplace (Canada) with one seller, product, customer and a delivered order. */
async function canadaMarketplace(world: World) {
  const put = async (url: string, body: unknown) => {
    const res = await world.request('PUT', url, { body });
    expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(200);
  };
  await put('/v1/marketplaces/mkt_ca', {
    name: 'Example Canada',
    currency: 'CAD',
    region: 'CA',
    timeZone: 'America/Toronto',
    policy: {},
  });
  await put('/v1/sellers/slr_maple', {
    marketplaceId: 'mkt_ca',
    name: 'Maple Goods',
    standing: 'good',
    contact: { email: 'claims@maple.example' },
  });
  await put('/v1/products/prd_toque', { sellerId: 'slr_maple', title: 'Heated toque', category: 'apparel' });
  await put('/v1/customers/cus_gus', {
    marketplaceId: 'mkt_ca',
    name: 'Gus Tremblay',
    email: 'gus@example.ca',
  });
  await put('/v1/orders/ord_ca1', {
    marketplaceId: 'mkt_ca',
    customerId: 'cus_gus',
    lines: [
      {
        lineId: '1',
        productId: 'prd_toque',
        sellerId: 'slr_maple',
        quantity: 1,
        unitPrice: { value: 3999, currency: 'CAD' },
        deliveredAt: '2026-11-02T15:00:00Z',
      },
    ],
  });
  return { gus: await world.key('customer', 'cus_gus') };
}

async function disputed(world: World, keys: Keys, lineId = '2', orderId = 'ord_1') {
  const filed = await fileClaim(
    world,
    keys.dana,
    claimBody({ orderId, lineId, amount: { value: 250_000, currency: 'USD' } }),
  );
  expect(filed.body.status, JSON.stringify(filed.body)).toBe('awaiting_seller');
  const answered = await world.request('POST', `/v1/claims/${filed.body.id}/seller-response`, {
    key: keys.acme,
    body: { action: 'dispute', defense: 'Used outdoors against the manual.' },
  });
  expect(answered.body.status, JSON.stringify(answered.body)).toBe('under_review');
  return answered.body as { id: string; status: string };
}

describe('a third-party administrator', () => {
  let world: World;
  let keys: Keys;
  let tpa: string;
  let canadaClaim: { id: string };
  beforeAll(async () => {
    world = await createWorld();
    keys = await usMarketplace(world);
    const canada = await canadaMarketplace(world);
    canadaClaim = (
      await fileClaim(
        world,
        canada.gus,
        claimBody({
          orderId: 'ord_ca1',
          amount: { value: 3999, currency: 'CAD' },
          damages: [
            { kind: 'purchase_price', description: 'Toque', amount: { value: 3999, currency: 'CAD' } },
          ],
        }),
      )
    ).body;
    expect(canadaClaim.id, JSON.stringify(canadaClaim)).toBeTruthy();
    const created = await world.request('PUT', '/v1/tpas/tpa_crawford', {
      body: { name: 'Crawford Claims Services' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const key = await world.request('POST', '/v1/api-keys', {
      body: { role: 'tpa', partyId: 'tpa_crawford', label: 'Crawford (Sam)' },
    });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    tpa = key.body.secret;
  });
  afterAll(() => world.close());

  it('sees no claim at all before an admin assigns it to a marketplace', async () => {
    const claim = await disputed(world, keys, '1');
    expect((await world.request('GET', `/v1/claims/${claim.id}`, { key: tpa })).status).toBe(404);
    const list = await world.request('GET', '/v1/claims', { key: tpa });
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([]);
  });

  it('is assigned by an admin, with the assignment logged (who, when, why)', async () => {
    const assigned = await world.request('PUT', '/v1/tpas/tpa_crawford/marketplaces/mkt_us', {
      body: { reason: 'Claims administration agreement' },
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(assigned.body.marketplaces.map((m: { marketplaceId: string }) => m.marketplaceId)).toEqual([
      'mkt_us',
    ]);
    expect(assigned.body.log).toEqual([
      expect.objectContaining({
        marketplaceId: 'mkt_us',
        action: 'assigned',
        reason: 'Claims administration agreement',
        actor: expect.objectContaining({ role: 'admin' }),
      }),
    ]);
    // A TPA reads its own record (to know where it works), never another's.
    const own = await world.request('GET', '/v1/tpas/tpa_crawford', { key: tpa });
    expect(own.status).toBe(200);
    expect((await world.request('GET', '/v1/tpas/tpa_other', { key: tpa })).status).toBe(404);
  });

  it("works its marketplace's claim to a decision: takes it, notes, decides; every action is the TPA's", async () => {
    const claim = await disputed(world, keys);
    const seen = await world.request('GET', `/v1/claims/${claim.id}`, { key: tpa });
    expect(seen.status).toBe(200);
    expect(seen.body.risk).not.toBeNull(); // the staff view
    const taken = await world.request('POST', `/v1/claims/${claim.id}/assignment`, {
      key: tpa,
      body: { owner: 'me' },
    });
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    expect(taken.body.owner.name).toBe('Crawford (Sam)');
    const noted = await world.request('POST', `/v1/claims/${claim.id}/notes`, {
      key: tpa,
      body: { note: 'Called the claimant; photos match the defect.' },
    });
    expect(noted.status, JSON.stringify(noted.body)).toBe(200);
    const decided = await world.request('POST', `/v1/claims/${claim.id}/decision`, {
      key: tpa,
      body: { outcome: 'approve', reason: 'The defect is shown; the seller’s defence is not supported.' },
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body.status).not.toBe('under_review');
    const events = (await world.request('GET', `/v1/claims/${claim.id}/events`, { key: tpa })).body;
    expect(events.chain.valid).toBe(true);
    const byTpa = events.data.filter((e: { actor: { role: string } }) => e.actor.role === 'tpa');
    expect(byTpa.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['claim.assigned', 'claim.note_added']),
    );
    expect(byTpa.length).toBeGreaterThanOrEqual(3);
    for (const e of byTpa) expect(e.actor).toEqual({ role: 'tpa', id: 'tpa_crawford' });
    // The claimant sees the marketplace acting, not the outside firm.
    const forDana = (await world.request('GET', `/v1/claims/${claim.id}/events`, { key: keys.dana })).body
      .data;
    expect(forDana.some((e: { actor: { role: string } }) => e.actor.role === 'tpa')).toBe(false);
  });

  it('lists only its marketplaces’ claims, and may use the staff filters there', async () => {
    const mine = await world.request('GET', '/v1/claims?limit=200', { key: tpa });
    expect(mine.status).toBe(200);
    expect(mine.body.data.length).toBeGreaterThan(0);
    expect(mine.body.data.every((c: { marketplaceId: string }) => c.marketplaceId === 'mkt_us')).toBe(true);
    expect(mine.body.data.map((c: { id: string }) => c.id)).not.toContain(canadaClaim.id);
    expect((await world.request('GET', '/v1/claims?owner=me', { key: tpa })).status).toBe(200);
    // Naming the other marketplace's customer finds nothing rather than its claims.
    const named = await world.request('GET', '/v1/claims?customerId=cus_gus', { key: tpa });
    expect(named.body.data).toEqual([]);
  });

  it("is refused another marketplace's claim as if it did not exist", async () => {
    const id = canadaClaim.id;
    expect((await world.request('GET', `/v1/claims/${id}`, { key: tpa })).status).toBe(404);
    expect((await world.request('GET', `/v1/claims/${id}/events`, { key: tpa })).status).toBe(404);
    const decide = await world.request('POST', `/v1/claims/${id}/decision`, {
      key: tpa,
      body: { outcome: 'approve', reason: 'not mine' },
    });
    expect(decide.status).toBe(404);
    const note = await world.request('POST', `/v1/claims/${id}/notes`, { key: tpa, body: { note: 'x' } });
    expect(note.status).toBe(404);
    expect((await world.request('GET', '/v1/customers/cus_gus', { key: tpa })).status).toBe(404);
    expect((await world.request('GET', '/v1/customers?q=gus@example.ca', { key: tpa })).body.data).toEqual(
      [],
    );
  });

  it('is refused admin routes (403)', async () => {
    for (const [method, url, body] of [
      ['PUT', '/v1/tpas/tpa_crawford/marketplaces/mkt_ca', {}],
      ['PUT', '/v1/marketplaces/mkt_us', {}],
      ['POST', '/v1/api-keys', { role: 'agent' }],
      ['GET', '/v1/tpas', undefined],
      ['POST', '/v1/screening/fit', {}],
      ['GET', '/v1/screening/performance', undefined],
    ] as const) {
      const res = await world.request(method, url, { key: tpa, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${url}`).toBe(403);
    }
  });

  let handedOver = '';
  it('may hand a claim only to its own firm’s people; marketplace agents may hand it to the TPA', async () => {
    await deliveredOrder(world, 'ord_3', 'cus_dana', 'prd_heater');
    const claim = await disputed(world, keys, '1', 'ord_3');
    const agents = (await world.request('GET', '/v1/agents', { key: tpa })).body.data;
    expect(agents.map((a: { name: string }) => a.name)).toEqual(['Crawford (Sam)']);
    const marketplaceAgents = (await world.request('GET', '/v1/agents', { key: keys.agent })).body.data;
    const toAgent = await world.request('POST', `/v1/claims/${claim.id}/assignment`, {
      key: tpa,
      body: { owner: marketplaceAgents[0].id },
    });
    expect(toAgent.status).toBe(422);
    const toTpa = await world.request('POST', `/v1/claims/${claim.id}/assignment`, {
      key: keys.agent,
      body: { owner: agents[0].id },
    });
    expect(toTpa.status, JSON.stringify(toTpa.body)).toBe(200);
    expect(toTpa.body.owner.id).toBe(agents[0].id);
    handedOver = claim.id;
  });

  it('loses access at once when unassigned; its claims go back to the queue, logged', async () => {
    const before = (await world.request('GET', '/v1/claims?limit=200', { key: tpa })).body.data;
    expect(before.length).toBeGreaterThan(0);
    const ended = await world.request(
      'DELETE',
      '/v1/tpas/tpa_crawford/marketplaces/mkt_us?reason=Contract%20ended',
    );
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    expect(ended.body.tpa.marketplaces).toEqual([]);
    expect(ended.body.releasedClaims).toBeGreaterThanOrEqual(1);
    expect(ended.body.tpa.log.map((l: { action: string }) => l.action)).toEqual(['assigned', 'unassigned']);
    expect((await world.request('GET', `/v1/claims/${before[0].id}`, { key: tpa })).status).toBe(404);
    expect((await world.request('GET', '/v1/claims', { key: tpa })).body.data).toEqual([]);
    const again = await world.request('DELETE', '/v1/tpas/tpa_crawford/marketplaces/mkt_us');
    expect(again.status).toBe(409);
    // The claim under review it owned is back in the unassigned queue, said so in its history.
    expect((await world.request('GET', `/v1/claims/${handedOver}`)).body.owner).toBeNull();
    const history = (await world.request('GET', `/v1/claims/${handedOver}/events`)).body.data;
    expect(history.at(-1)).toMatchObject({ type: 'claim.assigned', reason: 'tpa_unassigned' });
  });
});
