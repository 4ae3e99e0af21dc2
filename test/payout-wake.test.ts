import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check-ledger.ts';
import { accountBalance } from '../src/ledger/ledger-store.ts';
import { wakePayoutsOnCommit } from '../src/ledger/payout-wake.ts';
import { claimBody, deliveredOrder, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
beforeAll(async () => {
  world = await createWorld();
  keys = await usMarketplace(world);
});
afterAll(() => world.close());

const payoutOf = (claimId: string) =>
  world.ctx.db.selectFrom('payouts').selectAll().where('claim_id', '=', claimId).executeTakeFirst();

async function settled(claimId: string): Promise<string | undefined> {
  // Waits for the wake-up, never runs the worker itself: no world.work() here.
  for (let i = 0; i < 200; i++) {
    const payout = await payoutOf(claimId);
    if (payout?.status === 'settled') return payout.status;
    await new Promise((r) => setTimeout(r, 25));
  }
  return (await payoutOf(claimId))?.status;
}

describe('a payout committed pending wakes the payout worker', () => {
  it('pays a clean small claim without waiting for a poll', async () => {
    const wake = await wakePayoutsOnCommit(world.ctx, world);
    try {
      const claim = (await fileClaim(world, keys.dana, claimBody())).body;
      expect(claim).toMatchObject({ status: 'approved', payer: 'marketplace' });
      expect(await settled(claim.id)).toBe('settled');
    } finally {
      await wake.stop();
    }
  });

  it('does nothing once stopped: the payout waits for the poll', async () => {
    const wake = await wakePayoutsOnCommit(world.ctx, world);
    await wake.stop();
    await deliveredOrder(world, 'ord_wake_stopped', 'cus_eli');
    const claim = (
      await fileClaim(
        world,
        keys.agent,
        claimBody({ customerId: 'cus_eli', orderId: 'ord_wake_stopped', channel: 'phone' }),
      )
    ).body;
    await new Promise((r) => setTimeout(r, 300));
    expect((await payoutOf(claim.id))?.status).toBe('pending');
    await world.work();
    expect((await payoutOf(claim.id))?.status).toBe('settled');
  });
});

describe('the guarantee fund is not one hot row', () => {
  it('keeps its balance in stripes; the row is never updated, the books still prove', async () => {
    const fundId = 'guarantee_fund:mkt_us';
    const before = await accountBalance(world.ctx.db, fundId);
    const filed = await Promise.all(
      [1, 2, 3].map(async (n) => {
        await deliveredOrder(world, `ord_fund_${n}`, 'cus_dana');
        return (await fileClaim(world, keys.dana, claimBody({ orderId: `ord_fund_${n}` }))).body;
      }),
    );
    for (const claim of filed) expect(claim.status).toBe('approved');
    expect(await accountBalance(world.ctx.db, fundId)).toBe(before + 3 * 45_000);
    const row = await world.ctx.db
      .selectFrom('ledger_accounts')
      .select('balance')
      .where('id', '=', fundId)
      .executeTakeFirstOrThrow();
    expect(row.balance).toBe(0);
    const stripes = await world.ctx.db
      .selectFrom('ledger_balance_stripes')
      .select(['stripe', 'balance'])
      .where('account_id', '=', fundId)
      .execute();
    expect(stripes.reduce((sum, s) => sum + s.balance, 0)).toBe(before + 3 * 45_000);
    await world.work();
    expect(await checkLedger(world.ctx.db)).toMatchObject({ ok: true, problems: [] });
  });
});
