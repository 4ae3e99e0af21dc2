import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

/**
 * The agent console over HTTP: search and filters (GET /v1/claims), ownership, review due times
 * and their escalation, internal notes apart from each party's message thread.
 */

type Keys = Awaited<ReturnType<typeof usMarketplace>>;

async function disputed(world: World, keys: Keys) {
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
  return answered.body as {
    id: string;
    claimNumber: string;
    status: string;
    deadlines: { review: { at: string } | null };
  };
}

describe('the agent console', () => {
  let world: World;
  let keys: Keys;
  let secondAgent: string;
  let dispute: Awaited<ReturnType<typeof disputed>>;
  let small: { id: string; claimNumber: string };
  beforeAll(async () => {
    world = await createWorld();
    keys = await usMarketplace(world);
    secondAgent = await world.key('agent');
    small = (await fileClaim(world, keys.eli, claimBody({ orderId: 'ord_2' }))).body;
    dispute = await disputed(world, keys);
  });
  afterAll(() => world.close());
  const list = async (query: string, key = keys.agent) =>
    world.request('GET', `/v1/claims?${query}`, { key });
  const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((c) => c.id).sort();

  describe('every review has a due time from the policy', () => {
    it('gives a dispute review three business days in New York (Mon 16 Nov → end of Thu 19 Nov)', () => {
      expect(dispute.status).toBe('under_review');
      expect(dispute.deadlines.review?.at).toBe('2026-11-20T05:00:00.000Z');
    });

    it('tells the claimant the date in the history and on the claim', async () => {
      const events = (await world.request('GET', `/v1/claims/${dispute.id}/events`, { key: keys.dana })).body
        .data;
      const started = events.find((e: { type: string }) => e.type === 'claim.review_started');
      expect(started.data).toMatchObject({
        reviewDueAt: '2026-11-20T05:00:00.000Z',
        timeZone: 'America/New_York',
      });
      const mine = (await world.request('GET', `/v1/claims/${dispute.id}`, { key: keys.dana })).body;
      expect(mine.deadlines.review.at).toBe('2026-11-20T05:00:00.000Z');
      expect(mine.owner).toBeNull();
    });
  });

  describe('search and filters served by the API', () => {
    it('finds a claim by its number, with or without the dashes', async () => {
      expect(ids(await list(`q=${dispute.claimNumber}`))).toEqual([dispute.id]);
      expect(ids(await list(`q=${dispute.claimNumber.replace(/-/g, '').toLowerCase()}`))).toEqual([
        dispute.id,
      ]);
    });

    it('finds claims by the claimant’s sealed name and e-mail through the blind index (staff only)', async () => {
      expect(ids(await list('q=dana%20reyes'))).toEqual([dispute.id]);
      expect(ids(await list('q=eli@example.com'))).toEqual([small.id]);
      // A party finds its own claims by number or product, never anyone by name.
      expect(ids(await list('q=Dana%20Reyes', keys.dana))).toEqual([]);
      expect(ids(await list('q=heater', keys.dana))).toEqual([dispute.id]);
    });

    it('finds by product title and seller name, and narrows by amount, date, product and status', async () => {
      expect(ids(await list('q=heat'))).toEqual([dispute.id, small.id].sort());
      expect(ids(await list('q=kettle'))).toEqual([]);
      expect(ids(await list('q=acme'))).toEqual([dispute.id, small.id].sort());
      expect(ids(await list('minAmount=100000'))).toEqual([dispute.id]);
      expect(ids(await list('maxAmount=100000'))).toEqual([small.id]);
      expect(ids(await list('productId=prd_heater&status=under_review'))).toEqual([dispute.id]);
      expect(ids(await list('filedFrom=2026-11-16&filedTo=2026-11-17'))).toHaveLength(2);
      expect(ids(await list('filedFrom=2026-11-17'))).toEqual([]);
    });

    it('refuses a party reaching across parties or into staff filters, and bad input by field', async () => {
      expect((await list('customerId=cus_dana', keys.acme)).status).toBe(403);
      expect((await list('hazard=fire_burn', keys.dana)).status).toBe(403);
      expect((await list('owner=me', keys.dana)).status).toBe(403);
      const bad = await list('minAmount=5&maxAmount=1');
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('minAmount');
      expect((await list('filedFrom=yesterday')).status).toBe(400);
    });

    it('sorts by the oldest deadline first and pages through the order', async () => {
      const due = await list('sort=due&limit=1');
      expect(due.body.data[0].id).toBe(dispute.id);
      expect(due.body.nextCursor).toBe('o:1');
      const next = await list(`sort=due&limit=1&cursor=${due.body.nextCursor}`);
      expect(next.body.data[0].id).toBe(small.id);
    });
  });

  describe('ownership', () => {
    it('lets an agent take a claim, records it for staff only, and lists it as mine', async () => {
      expect(ids(await list('owner=none&status=under_review'))).toEqual([dispute.id]);
      const taken = await world.request('POST', `/v1/claims/${dispute.id}/assignment`, {
        key: keys.agent,
        body: { owner: 'me' },
      });
      expect(taken.status, JSON.stringify(taken.body)).toBe(200);
      expect(taken.body.owner.id).toMatch(/^key_/);
      expect(ids(await list('owner=me'))).toEqual([dispute.id]);
      expect(ids(await list('owner=me', secondAgent))).toEqual([]);
      const staff = (await world.request('GET', `/v1/claims/${dispute.id}/events`, { key: keys.agent })).body
        .data;
      expect(staff.map((e: { type: string }) => e.type)).toContain('claim.assigned');
      const claimant = (await world.request('GET', `/v1/claims/${dispute.id}/events`, { key: keys.dana }))
        .body.data;
      expect(claimant.map((e: { type: string }) => e.type)).not.toContain('claim.assigned');
    });

    it('reassigns to another agent from the agents list, and refuses a non-agent', async () => {
      const agents = (await world.request('GET', '/v1/agents', { key: keys.agent })).body.data;
      expect(agents.length).toBeGreaterThanOrEqual(2);
      const me = (await world.request('GET', `/v1/claims/${dispute.id}`, { key: keys.agent })).body.owner.id;
      expect(agents.find((a: { id: string }) => a.id === me).openClaims).toBe(1);
      const other = agents.find((a: { id: string }) => a.id !== me).id;
      const moved = await world.request('POST', `/v1/claims/${dispute.id}/assignment`, {
        key: keys.agent,
        body: { owner: other },
      });
      expect(moved.body.owner.id).toBe(other);
      expect(ids(await list('owner=me', secondAgent))).toEqual([dispute.id]);
      const refused = await world.request('POST', `/v1/claims/${dispute.id}/assignment`, {
        key: keys.agent,
        body: { owner: 'key_doesnotexist' },
      });
      expect(refused.status).toBe(422);
      expect(
        (
          await world.request('POST', `/v1/claims/${dispute.id}/assignment`, {
            key: keys.dana,
            body: { owner: 'me' },
          })
        ).status,
      ).toBe(403);
    });
  });

  describe('notes apart from each party’s thread', () => {
    it('keeps an internal note from both parties', async () => {
      const noted = await world.request('POST', `/v1/claims/${dispute.id}/notes`, {
        key: keys.agent,
        body: { note: 'Seller’s manual checked: outdoor use is warned against.' },
      });
      expect(noted.status, JSON.stringify(noted.body)).toBe(200);
      const staff = (await world.request('GET', `/v1/claims/${dispute.id}/messages`, { key: keys.agent }))
        .body.data;
      expect(staff).toEqual([
        expect.objectContaining({
          thread: 'internal',
          direction: 'note',
          message: expect.stringContaining('manual'),
        }),
      ]);
      for (const key of [keys.dana, keys.acme]) {
        const seen = await world.request('GET', `/v1/claims/${dispute.id}/messages`, { key });
        expect(seen.body.data).toEqual([]);
        const history = await world.request('GET', `/v1/claims/${dispute.id}/events`, { key });
        expect(JSON.stringify(history.body)).not.toContain('manual checked');
      }
      expect(
        (
          await world.request('POST', `/v1/claims/${dispute.id}/notes`, {
            key: keys.dana,
            body: { note: 'x' },
          })
        ).status,
      ).toBe(403);
    });

    it('writes to the claimant and to the seller in separate threads, each e-mailed, each seen by its party only', async () => {
      const toClaimant = await world.request('POST', `/v1/claims/${dispute.id}/messages`, {
        key: keys.agent,
        body: { to: 'claimant', message: 'Where was the heater used?' },
      });
      expect(toClaimant.status, JSON.stringify(toClaimant.body)).toBe(200);
      await world.request('POST', `/v1/claims/${dispute.id}/messages`, {
        key: keys.agent,
        body: { to: 'seller', message: 'Please send the manual page.' },
      });
      const reply = await world.request('POST', `/v1/claims/${dispute.id}/messages`, {
        key: keys.dana,
        body: { message: 'In the living room.' },
      });
      expect(reply.status).toBe(200);
      expect(
        (
          await world.request('POST', `/v1/claims/${dispute.id}/messages`, {
            key: keys.dana,
            body: { to: 'seller', message: 'hi' },
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await world.request('POST', `/v1/claims/${dispute.id}/messages`, {
            key: keys.agent,
            body: { message: 'to whom?' },
          })
        ).status,
      ).toBe(422);

      const dana = (await world.request('GET', `/v1/claims/${dispute.id}/messages`, { key: keys.dana })).body
        .data;
      expect(dana.map((m: { message: string; direction: string }) => [m.direction, m.message])).toEqual([
        ['out', 'Where was the heater used?'],
        ['in', 'In the living room.'],
      ]);
      const acme = (await world.request('GET', `/v1/claims/${dispute.id}/messages`, { key: keys.acme })).body
        .data;
      expect(acme.map((m: { message: string }) => m.message)).toEqual(['Please send the manual page.']);
      const staff = (await world.request('GET', `/v1/claims/${dispute.id}/messages`, { key: keys.agent }))
        .body.data;
      expect(staff.map((m: { thread: string }) => m.thread)).toEqual([
        'internal',
        'claimant',
        'seller',
        'claimant',
      ]);

      await world.work();
      const mails = await world.ctx.db
        .selectFrom('mail_deliveries')
        .innerJoin('outbox', 'outbox.id', 'mail_deliveries.outbox_id')
        .select(['outbox.event_type', 'mail_deliveries.recipient_role', 'mail_deliveries.template'])
        .where('outbox.event_type', 'like', 'claim.message%')
        .orderBy('mail_deliveries.id')
        .execute();
      expect(mails).toEqual([
        {
          event_type: 'claim.message_to_claimant',
          recipient_role: 'customer',
          template: 'customer_decision',
        },
        { event_type: 'claim.message_to_seller', recipient_role: 'seller', template: 'seller_message' },
      ]);
    });
  });

  describe('a review that passes its due time', () => {
    it('escalates, sets a new date, tells the claimant in plain words, and sits in the overdue queue', async () => {
      expect(ids(await list('overdue=true'))).toEqual([]);
      await world.advance(4 * 86_400); // Friday 20 Nov, 10:00 New York: the review was due at midnight
      const staff = (await world.request('GET', `/v1/claims/${dispute.id}`, { key: keys.agent })).body;
      expect(staff.reviewEscalatedAt).not.toBeNull();
      // Counted again from Friday: Mon 23, Tue 24, Wed 25 → the end of Wednesday 25 November.
      expect(staff.deadlines.review.at).toBe('2026-11-26T05:00:00.000Z');
      expect(ids(await list('overdue=true'))).toEqual([dispute.id]);
      const claimant = (await world.request('GET', `/v1/claims/${dispute.id}/events`, { key: keys.dana }))
        .body.data;
      const escalated = claimant.find((e: { type: string }) => e.type === 'claim.review_escalated');
      expect(escalated.data).toEqual({
        reviewDueAt: '2026-11-26T05:00:00.000Z',
        timeZone: 'America/New_York',
      });
      expect(escalated.reason).toBeNull();
      const mail = await world.ctx.db
        .selectFrom('mail_deliveries')
        .innerJoin('outbox', 'outbox.id', 'mail_deliveries.outbox_id')
        .select(['mail_deliveries.status'])
        .where('outbox.event_type', '=', 'claim.review_escalated')
        .execute();
      expect(mail).toHaveLength(1);
    });

    it('leaves the overdue queue once decided', async () => {
      const decided = await world.request('POST', `/v1/claims/${dispute.id}/decision`, {
        key: keys.agent,
        body: { outcome: 'deny', reason: 'unsubstantiated' },
      });
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
      expect(ids(await list('overdue=true'))).toEqual([]);
    });
  });
});
