import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check-ledger.ts';
import { runDuePayouts } from '../src/ledger/execute-payouts.ts';
import { HttpPaymentProvider } from '../src/ledger/http-payment-provider.ts';
import { claimBody, deliveredOrder, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { FakePayments } from './support/fake-payments.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
let payments: FakePayments;
// One world and payments API per file, both emptied before each test.
beforeAll(async () => {
  payments = new FakePayments();
  await payments.start();
  // Long enough for a loaded machine's answers (300 ms timed out real payments under load);
  // the scripted hang still times out.
  world = await createWorld({ payments: new HttpPaymentProvider(payments.url, { timeoutMs: 3000 }) });
});
afterAll(async () => {
  await world.close();
  await payments.stop();
});
beforeEach(async () => {
  await world.reset();
  payments.forget();
  keys = await usMarketplace(world);
});
afterEach(async () => {
  expect((await checkLedger(world.ctx.db)).problems).toEqual([]);
});

const payoutOf = (claimId: string) =>
  world.ctx.db.selectFrom('payouts').selectAll().where('claim_id', '=', claimId).executeTakeFirstOrThrow();

describe('payouts through an external payments API', () => {
  it('survive a lost answer and a 500, and settle exactly once', async () => {
    payments.script = ['pay-then-timeout', 'fail500', 'ok'];
    const claim = (await fileClaim(world, keys.dana, claimBody())).body;

    await world.work(); // attempt 1: the provider paid, but the answer never came
    let payout = await payoutOf(claim.id);
    expect(payout).toMatchObject({ status: 'pending', attempts: 1 });
    expect(payout.last_error).toContain('no answer');
    expect(payments.timesPaid(payout.id)).toBe(1);

    await world.advance(60); // attempt 2 after the back-off: 500
    payout = await payoutOf(claim.id);
    expect(payout).toMatchObject({ status: 'pending', attempts: 2, last_error: 'provider answered 500' });

    await world.advance(120); // attempt 3: the provider answers with the payment it already made
    payout = await payoutOf(claim.id);
    expect(payout).toMatchObject({ status: 'settled', attempts: 3, provider_reference: 'fp_1' });
    expect(payments.calls).toEqual([payout.id, payout.id, payout.id]);
    expect(payments.payments.size).toBe(1);
    expect((await world.request('GET', `/v1/claims/${claim.id}`)).body.status).toBe('closed');
  });

  it('end in a final failed state when the provider refuses, leaving the claim approved for an agent', async () => {
    payments.script = ['reject400'];
    const claim = (await fileClaim(world, keys.dana, claimBody())).body;
    await world.work();
    const payout = await payoutOf(claim.id);
    expect(payout.status).toBe('failed');
    expect(payout.last_error).toContain('account closed');
    const view = (await world.request('GET', `/v1/claims/${claim.id}`)).body;
    expect(view).toMatchObject({ status: 'approved', payment: { status: 'failed' } });
    const history = (await world.request('GET', `/v1/claims/${claim.id}/events`)).body.data;
    expect(history.at(-1)).toMatchObject({ type: 'claim.payout_failed' });
    await world.advance(86_400);
    expect(payments.calls).toHaveLength(1);
  });
});

describe('two workers over the same due payouts', () => {
  it('never pay twice', async () => {
    // This race is about two workers, not timeouts: with eight provider calls in flight from
    // one process (two workers' payout lanes) a loaded machine has taken over 3 s to answer one
    // on PGlite, and a timed-out call is rightly retried later, not in this pass.
    const scripted = world.ctx.payments;
    world.ctx.payments = new HttpPaymentProvider(payments.url, { timeoutMs: 30_000 });
    const second = await world.secondContext();
    try {
      for (let round = 0; round < 10; round++) {
        const claimIds: string[] = [];
        for (let i = 0; i < 8; i++) {
          const orderId = `ord_w${round}_${i}`;
          await deliveredOrder(world, orderId, 'cus_dana');
          claimIds.push((await fileClaim(world, keys.dana, claimBody({ orderId }))).body.id);
        }
        const [a, b] = await Promise.all([runDuePayouts(world.ctx), runDuePayouts(second)]);
        expect(a + b).toBe(8);
        for (const id of claimIds) {
          const payout = await payoutOf(id);
          expect(payout.status).toBe('settled');
          expect(payments.calls.filter((k) => k === payout.id)).toHaveLength(1);
        }
      }
      expect(payments.payments.size).toBe(80);
    } finally {
      await second.close();
      world.ctx.payments = scripted;
    }
  }, 240_000); // 80 filings and 10 races: past a minute when the machine is shared
});
