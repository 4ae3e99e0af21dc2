import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check-ledger.ts';
import { accountBalance } from '../src/ledger/ledger-store.ts';
import type { PaymentProvider } from '../src/ledger/payment-provider.ts';
import { wakePayoutsOnCommit } from '../src/ledger/payout-wake.ts';
import { runAllDue } from '../src/platform/jobs.ts';
import { claimBody, deliveredOrder, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { gate } from './support/gate.ts';

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

async function fileSmallClaim(orderId: string) {
  await deliveredOrder(world, orderId, 'cus_dana');
  const claim = (await fileClaim(world, keys.dana, claimBody({ orderId }))).body;
  expect(claim).toMatchObject({ status: 'approved', payer: 'marketplace' });
  return claim as { id: string };
}

describe('the payouts woken on commit wait for nothing else', () => {
  it('are paid while the interval pass is stuck in a slow job of its own', async () => {
    const slow = gate();
    let passEnded = false;
    // The poll's pass, stuck in its first job (a mail server or webhook receiver that hangs).
    const stuck = { ...world.ctx, jobs: [{ name: 'slow', run: () => slow.opened.then(() => 0) }] };
    const pass = runAllDue(stuck).then(() => {
      passEnded = true;
    });
    const wake = await wakePayoutsOnCommit(world.ctx, world);
    try {
      const claim = await fileSmallClaim('ord_wake_beside_slow_job');
      expect(await settled(claim.id)).toBe('settled');
      expect(passEnded).toBe(false);
    } finally {
      slow.open();
      await pass;
      await wake.stop();
    }
  });

  it("are paid while another payout's provider call hangs, and each is paid once", async () => {
    const hanging = gate();
    const asked: string[] = [];
    let firstAsked!: (payoutId: string) => void;
    const first = new Promise<string>((resolve) => {
      firstAsked = resolve;
    });
    // The first payout's call does not answer until the test lets it; the others answer at once.
    const payments: PaymentProvider = {
      name: 'ledger',
      pay: async (request) => {
        asked.push(request.payoutId);
        if (asked.length === 1) {
          firstAsked(request.payoutId);
          await hanging.opened;
        }
        return { outcome: 'settled', reference: `gated:${request.payoutId}` };
      },
    };
    const wake = await wakePayoutsOnCommit({ ...world.ctx, payments }, world);
    try {
      const slowClaim = await fileSmallClaim('ord_wake_slow_provider');
      const slowPayout = await first;
      const quick = await fileSmallClaim('ord_wake_quick_after_slow');
      expect(await settled(quick.id)).toBe('settled');
      expect(await payoutOf(slowClaim.id)).toMatchObject({ id: slowPayout, status: 'executing' });
      hanging.open();
      expect(await settled(slowClaim.id)).toBe('settled');
      const quickPayout = await payoutOf(quick.id);
      expect(asked.sort()).toEqual([slowPayout, quickPayout?.id].sort());
    } finally {
      hanging.open();
      await wake.stop();
    }
    expect(await checkLedger(world.ctx.db)).toMatchObject({ ok: true, problems: [] });
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
