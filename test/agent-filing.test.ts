import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, deliveredOrder, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { multipartParts, photo } from './support/uploads.ts';

/**
 * Customer service files for the customer (POST /v1/claims by staff with the customer's id):
 * the claim records how the customer reached the agent (phone, email, letter, chat), on the
 * claim, in `claim.filed` and in the staff view, with the evidence the customer sent attached in
 * the same request. A customer files itself (web or api) and cannot take a staff channel.
 */

type Keys = Awaited<ReturnType<typeof usMarketplace>>;

describe('an agent filing for a customer', () => {
  let world: World;
  let keys: Keys;
  beforeAll(async () => {
    world = await createWorld();
    keys = await usMarketplace(world);
  });
  afterAll(() => world.close());

  it('records the channel on the claim, in claim.filed and in the staff view, with the e-mailed photos attached', async () => {
    const body = claimBody({ customerId: 'cus_dana', channel: 'email' });
    const form = multipartParts([
      { name: 'claim', value: JSON.stringify(body) },
      { name: 'photo', filename: 'scorch.png', type: 'image/png', bytes: await photo(40) },
      { name: 'receipt', filename: 'receipt.png', type: 'image/png', bytes: await photo(200) },
    ]);
    const filed = await world.request('POST', '/v1/claims', {
      key: keys.agent,
      payload: form.payload,
      headers: { ...form.headers, 'idempotency-key': 'agent-filing-email-1' },
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body.customerId).toBe('cus_dana');
    expect(filed.body.filing).toEqual({
      channel: 'email',
      filedBy: { role: 'agent', id: expect.stringMatching(/^key_/) },
    });
    const evidence = await world.request('GET', `/v1/claims/${filed.body.id}/evidence`, { key: keys.agent });
    expect(evidence.body.data.map((e: { purpose: string }) => e.purpose).sort()).toEqual([
      'photo',
      'receipt',
    ]);
    const events = (await world.request('GET', `/v1/claims/${filed.body.id}/events`, { key: keys.agent }))
      .body;
    const filedEvent = events.data.find((e: { type: string }) => e.type === 'claim.filed');
    expect(filedEvent.data.channel).toBe('email');
    expect(filedEvent.actor.role).toBe('agent');

    // The claimant sees its claim and its photos, not the staff's record of how it was taken down.
    const mine = await world.request('GET', `/v1/claims/${filed.body.id}`, { key: keys.dana });
    expect(mine.status).toBe(200);
    expect(mine.body.filing).toBeNull();
    const forDana = (await world.request('GET', `/v1/claims/${filed.body.id}/events`, { key: keys.dana }))
      .body.data;
    const seenFiled = forDana.find((e: { type: string }) => e.type === 'claim.filed');
    expect(seenFiled.data.channel).toBeUndefined();
    expect(seenFiled.actor).toEqual({ role: 'marketplace', id: null });
  });

  it('files by phone as JSON, and refuses a filing that does not say how the customer reached the agent', async () => {
    const missing = await fileClaim(
      world,
      keys.agent,
      claimBody({ customerId: 'cus_eli', orderId: 'ord_2', amount: { value: 9_000, currency: 'USD' } }),
    );
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'body.channel' })]);
    const web = await fileClaim(
      world,
      keys.agent,
      claimBody({ customerId: 'cus_eli', orderId: 'ord_2', channel: 'web' }),
    );
    expect(web.status).toBe(400);
    const phoned = await fileClaim(
      world,
      keys.agent,
      claimBody({ customerId: 'cus_eli', orderId: 'ord_2', channel: 'phone' }),
    );
    expect(phoned.status, JSON.stringify(phoned.body)).toBe(201);
    expect(phoned.body.filing.channel).toBe('phone');
  });

  it('refuses a customer a staff channel (400 naming the field) and records its own as web or api', async () => {
    await deliveredOrder(world, 'ord_self', 'cus_dana', 'prd_heater');
    const phoney = await fileClaim(world, keys.dana, claimBody({ orderId: 'ord_self', channel: 'phone' }));
    expect(phoney.status).toBe(400);
    expect(phoney.body.errors).toEqual([expect.objectContaining({ field: 'body.channel' })]);
    const unknown = await fileClaim(world, keys.dana, claimBody({ orderId: 'ord_self', channel: 'fax' }));
    expect(unknown.status).toBe(400);
    const viaWeb = await fileClaim(world, keys.dana, claimBody({ orderId: 'ord_self', channel: 'web' }));
    expect(viaWeb.status, JSON.stringify(viaWeb.body)).toBe(201);
    const asAgentSees = (await world.request('GET', `/v1/claims/${viaWeb.body.id}`, { key: keys.agent }))
      .body;
    expect(asAgentSees.filing).toEqual({ channel: 'web', filedBy: { role: 'customer', id: 'cus_dana' } });
    await deliveredOrder(world, 'ord_api', 'cus_dana', 'prd_heater');
    const viaApi = await fileClaim(world, keys.dana, claimBody({ orderId: 'ord_api' }));
    expect((await world.request('GET', `/v1/claims/${viaApi.body.id}`)).body.filing.channel).toBe('api');
  });

  it('lets a TPA file by letter for its marketplace’s customer, recorded as the TPA’s, and no other', async () => {
    await world.request('PUT', '/v1/tpas/tpa_crawford', { body: { name: 'Crawford Claims Services' } });
    const tpa = await world.key('tpa', 'tpa_crawford');
    await deliveredOrder(world, 'ord_letter', 'cus_eli', 'prd_kettle');
    const body = claimBody({ customerId: 'cus_eli', orderId: 'ord_letter', channel: 'letter' });
    // Not assigned yet: the customer is as unknown to it as one that does not exist.
    const before = await fileClaim(world, tpa, body);
    expect(before.status).toBe(422);
    expect(before.body.errors).toEqual([expect.objectContaining({ field: 'body.customerId' })]);
    expect(
      (await world.request('PUT', '/v1/tpas/tpa_crawford/marketplaces/mkt_us', { body: {} })).status,
    ).toBe(200);
    const found = await world.request('GET', '/v1/customers?q=Eli%20Park', { key: tpa });
    expect(found.body.data.map((c: { id: string }) => c.id)).toEqual(['cus_eli']);
    const orders = await world.request('GET', '/v1/orders?customerId=cus_eli', { key: tpa });
    expect(orders.body.data.map((o: { id: string }) => o.id)).toContain('ord_letter');
    const filed = await fileClaim(world, tpa, body);
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body.filing).toEqual({ channel: 'letter', filedBy: { role: 'tpa', id: 'tpa_crawford' } });
  });
});
