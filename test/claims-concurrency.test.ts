import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIM_TIMERS } from '../src/claims/timer-kinds.ts';
import { runDueTimers } from '../src/platform/timers.ts';
import { claimBody, deliveredOrder, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
beforeAll(async () => {
  world = await createWorld();
  keys = await usMarketplace(world);
});
afterAll(() => world.close());

const ROUNDS = 40;

describe('a seller answering as the deadline passes', () => {
  it(`ends in exactly one outcome and one set of events, ${ROUNDS} times over`, async () => {
    const claimIds: string[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const orderId = `ord_race_${i}`;
      await deliveredOrder(world, orderId, 'cus_dana', 'prd_heater');
      const filed = await fileClaim(
        world,
        keys.dana,
        claimBody({ orderId, amount: { value: 300_000, currency: 'USD' } }),
      );
      expect(filed.body.status).toBe('awaiting_seller');
      claimIds.push(filed.body.id);
    }
    const deadline = Date.parse(
      (await world.request('GET', `/v1/claims/${claimIds[0]}`)).body.deadlines.sellerResponse.at,
    );
    world.clock.set(new Date(deadline));
    const firedBefore = (
      await world.ctx.db.selectFrom('timers').select('id').where('fired_at', 'is not', null).execute()
    ).length;

    // Every seller answer races two deadline workers over the same claims.
    const answers = claimIds.map((id) =>
      world.request('POST', `/v1/claims/${id}/seller-response`, {
        key: keys.acme,
        body: { action: 'accept' },
      }),
    );
    const [fired1, fired2, ...responses] = await Promise.all([
      runDueTimers(world.ctx),
      runDueTimers(world.ctx),
      ...answers,
    ]);
    // Every due timer fired exactly once between the two workers, the 40 seller deadlines among them
    // (the marketplace's daily insurance review came due too when the clock jumped).
    const firedRows = await world.ctx.db
      .selectFrom('timers')
      .select('kind')
      .where('fired_at', 'is not', null)
      .execute();
    expect((fired1 as number) + (fired2 as number)).toBe(firedRows.length - firedBefore);
    expect(firedRows.filter((t) => t.kind === CLAIM_TIMERS.sellerResponseDue)).toHaveLength(ROUNDS);

    let sellerWon = 0;
    let stepIns = 0;
    for (const [index, id] of claimIds.entries()) {
      const response = responses[index] as { status: number };
      const claim = (await world.request('GET', `/v1/claims/${id}`)).body;
      const history = (await world.request('GET', `/v1/claims/${id}/events`)).body;
      expect(history.chain.valid).toBe(true);
      const types: string[] = history.data.map((e: { type: string }) => e.type);
      const answered = types.filter((t) => t === 'claim.seller_responded').length;
      const steppedIn = types.filter((t) => t === 'claim.stepped_in').length;
      expect(answered + steppedIn).toBe(1);
      expect(claim.status).toBe('approved');
      if (response.status === 200) {
        sellerWon++;
        expect(claim).toMatchObject({ payer: 'seller', stepIn: false });
        expect(answered).toBe(1);
      } else {
        stepIns++;
        expect(response.status).toBe(409);
        expect(claim).toMatchObject({ payer: 'marketplace', stepIn: true });
        expect(steppedIn).toBe(1);
      }
      // The timer fired once, whoever won.
      const timers = await world.ctx.db
        .selectFrom('timers')
        .selectAll()
        .where('subject_id', '=', id)
        .execute();
      expect(timers.filter((t) => t.fired_at !== null)).toHaveLength(1);
    }
    expect(sellerWon + stepIns).toBe(ROUNDS);
  });
});

describe('two identical claims with one idempotency key, at the same time', () => {
  it('create one claim and give both callers the same answer', async () => {
    await deliveredOrder(world, 'ord_twins', 'cus_eli');
    for (let round = 0; round < 10; round++) {
      const body = claimBody({
        orderId: 'ord_twins',
        description: `Round ${round}: the kettle leaked onto the floor.`,
      });
      const results = await Promise.all(
        Array.from({ length: 4 }, () => fileClaim(world, keys.eli, body, `twin-key-${round}`)),
      );
      const ids = new Set(results.map((r) => r.body.id));
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
      expect(ids.size).toBe(1);
      const stored = await world.ctx.db
        .selectFrom('claims')
        .select('id')
        .where('order_id', '=', 'ord_twins')
        // The description is sealed at rest (docs/security.md): earlier rounds' claims are withdrawn.
        .where('status', '!=', 'withdrawn')
        .execute();
      expect(stored).toHaveLength(1);
      // Withdraw so the next round's claim on the same line is eligible.
      await world.request('POST', `/v1/claims/${[...ids][0]}/withdraw`, { key: keys.eli, body: {} });
    }
  });
});
