import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
beforeAll(async () => {
  world = await createWorld();
  keys = await usMarketplace(world);
});
afterAll(() => world.close());

const DAY = 86_400;

describe('a claim that goes to litigation', () => {
  it('becomes a matter: the step-in timer stops, counsel is staff-only, and only a person ends it', async () => {
    const filed = (
      await fileClaim(
        world,
        keys.dana,
        claimBody({ lineId: '2', amount: { value: 300_000, currency: 'USD' } }),
      )
    ).body;
    expect(filed.status).toBe('awaiting_seller');

    const opened = await world.request('POST', `/v1/claims/${filed.id}/matter`, {
      key: keys.agent,
      body: {
        cause: 'claimant_sued',
        counsel: 'R. Ortiz, Ortiz & Lane LLP, rortiz@ortizlane.example',
        court: 'Superior Court, County of Alameda',
        caseNumber: 'RG26-123456',
      },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);

    // Far past the seller's two business days: no step-in, the claim waits for a person.
    await world.advance(10 * DAY);
    const waiting = (await world.request('GET', `/v1/claims/${filed.id}`)).body;
    expect(waiting).toMatchObject({ status: 'awaiting_seller', stepIn: false });
    const fired = await world.ctx.db
      .selectFrom('timers')
      .select(['kind', 'outcome'])
      .where('subject_id', '=', filed.id)
      .where('fired_at', 'is not', null)
      .execute();
    expect(fired).toContainEqual({ kind: 'claim.seller_response_due', outcome: 'matter' });

    // Counsel and court are staff's; the counsel's details are sealed at rest.
    const matter = await world.request('GET', `/v1/claims/${filed.id}/matter`, { key: keys.agent });
    expect(matter.body).toMatchObject({
      cause: 'claimant_sued',
      counsel: 'R. Ortiz, Ortiz & Lane LLP, rortiz@ortizlane.example',
      caseNumber: 'RG26-123456',
    });
    const stored = await world.ctx.db.selectFrom('matters').select('counsel').executeTakeFirstOrThrow();
    expect(stored.counsel).not.toContain('Ortiz');
    for (const key of [keys.dana, keys.acme])
      expect((await world.request('GET', `/v1/claims/${filed.id}/matter`, { key })).status).toBe(403);
    const seen = (
      await world.request('GET', `/v1/claims/${filed.id}/events`, { key: keys.dana })
    ).body.data.map((e: { type: string }) => e.type);
    expect(seen).not.toContain('claim.matter_opened');

    const closed = await world.request('POST', `/v1/claims/${filed.id}/matter/close`, {
      key: keys.agent,
      body: { note: 'The claimant dismissed the suit; the seller will answer the claim.' },
    });
    expect(closed.status).toBe(200);
    expect(
      (await world.request('GET', `/v1/claims/${filed.id}/matter`, { key: keys.agent })).body.closedAt,
    ).not.toBeNull();
    expect(
      (
        await world.request('POST', `/v1/claims/${filed.id}/matter/close`, {
          key: keys.agent,
          body: { note: 'Closing it a second time.' },
        })
      ).status,
    ).toBe(409);
  });
});
