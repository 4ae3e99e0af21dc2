import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

/**
 * The agent console's queues (GET /v1/claim-queues and GET /v1/claims?queue=…) and the actions a
 * claim view offers its caller (src/claims/claim-actions.ts), over HTTP.
 */
type Keys = Awaited<ReturnType<typeof usMarketplace>>;
type Action = { name: string; deadline: { at: string; timeZone: string } | null };

describe('queues and actions', () => {
  let world: World;
  let keys: Keys;
  let dispute: { id: string };
  let small: { id: string; status: string };
  beforeAll(async () => {
    world = await createWorld();
    keys = await usMarketplace(world);
    small = (await fileClaim(world, keys.eli, claimBody({ orderId: 'ord_2' }))).body;
    const filed = await fileClaim(
      world,
      keys.dana,
      claimBody({ lineId: '2', amount: { value: 250_000, currency: 'USD' } }),
    );
    expect(filed.body.status, JSON.stringify(filed.body)).toBe('awaiting_seller');
    const answered = await world.request('POST', `/v1/claims/${filed.body.id}/seller-response`, {
      key: keys.acme,
      body: { action: 'dispute', defense: 'Used outdoors against the manual.' },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    dispute = answered.body;
  });
  afterAll(() => world.close());

  const counts = async () => {
    const res = await world.request('GET', '/v1/claim-queues', { key: keys.agent });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return Object.fromEntries(
      (res.body.data as { queue: string; count: number }[]).map((q) => [q.queue, q.count]),
    );
  };
  const actionsOf = async (id: string, key: string) =>
    ((await world.request('GET', `/v1/claims/${id}`, { key })).body.actions as Action[]).map((a) => a.name);

  it('counts each queue the way its list reads, the disputed claim first in working order', async () => {
    const before = await counts();
    expect(before.disputed).toBe(1);
    expect(before.needs_review).toBe(0);
    expect(before.overdue_reviews).toBe(0);
    expect(before.unassigned).toBeGreaterThanOrEqual(1);
    expect(before.mine).toBe(0);
    const listed = await world.request('GET', '/v1/claims?queue=disputed&sort=due', { key: keys.agent });
    expect(listed.body.data.map((c: { id: string }) => c.id)).toEqual([dispute.id]);
    const res = await world.request('GET', '/v1/claim-queues', { key: keys.agent });
    expect(res.body.data[0].queue).toBe('overdue_reviews');
    expect(res.body.data.find((q: { queue: string }) => q.queue === 'disputed').oldestDue).toBe(
      '2026-11-20T05:00:00.000Z',
    );
  });

  it('moves a claim from unassigned to mine when the agent takes it; a status narrows a queue', async () => {
    const before = await counts();
    await world.request('POST', `/v1/claims/${dispute.id}/assignment`, {
      key: keys.agent,
      body: { owner: 'me' },
    });
    const after = await counts();
    expect(after.mine).toBe(1);
    expect(after.unassigned).toBe((before.unassigned ?? 0) - 1);
    const mine = await world.request('GET', '/v1/claims?queue=mine&status=paid', { key: keys.agent });
    expect(mine.body.data, JSON.stringify(mine.body)).toEqual([]);
    expect(await actionsOf(dispute.id, keys.agent)).not.toContain('take');
  });

  it('puts a review past its due time in the overdue queue', async () => {
    world.clock.advance(7 * 86_400_000);
    expect((await counts()).overdue_reviews).toBe(1);
  });

  it('keeps queues and their counts to staff', async () => {
    expect((await world.request('GET', '/v1/claim-queues', { key: keys.dana })).status).toBe(403);
    expect((await world.request('GET', '/v1/claims?queue=disputed', { key: keys.dana })).status).toBe(403);
  });

  it('offers each caller its own actions on the disputed claim, the decision due with the review', async () => {
    const view = (await world.request('GET', `/v1/claims/${dispute.id}`, { key: keys.agent })).body;
    const decide = (view.actions as Action[]).find((a) => a.name === 'decide');
    expect(decide?.deadline?.at).toBe(view.deadlines.review.at);
    expect(await actionsOf(dispute.id, keys.agent)).toEqual(
      expect.arrayContaining(['decide', 'request_information', 'refer_to_expert', 'release', 'note']),
    );
    expect(await actionsOf(dispute.id, keys.dana)).toEqual(['withdraw', 'message']);
    expect(await actionsOf(dispute.id, keys.acme)).toEqual(['message']);
  });

  it('lets the seller defend a small claim the marketplace paid, and then no more', async () => {
    const paid = (await world.request('GET', `/v1/claims/${small.id}`, { key: keys.acme })).body;
    if (paid.payer === 'marketplace' && !paid.sellerResponse) {
      expect(paid.actions.map((a: Action) => a.name)).toContain('defend');
      await world.request('POST', `/v1/claims/${small.id}/seller-response`, {
        key: keys.acme,
        body: { action: 'dispute', defense: 'The kettle was used on a gas hob against the manual.' },
      });
    }
    expect(await actionsOf(small.id, keys.acme)).not.toContain('defend');
  });
});
