import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyClaimChain } from '../src/claims/history.ts';
import { checkLedger } from '../src/ledger/check-ledger.ts';
import { payNextDuePayout } from '../src/ledger/execute-payouts.ts';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { statementRecorder } from './support/statement-recorder.ts';

/**
 * The statements the payout worker sends to settle one clean small claim's payout with the
 * built-in ledger provider (one transaction; begin and commit are not counted): the claim locked
 * with its payout, the payout's update, the posting, the waiver decision's reads, the recovery
 * and the claim's history. Issue #16 times this transaction; docs/performance.md says where the
 * statements go. Lower this number when a change removes a round trip; a change that adds one
 * fails here and must say why.
 */
// 13 when this test came. The waiver decision's four reads (the seller, the policy version, the
// marketplace, the seller's policies on file) are one statement (ledger/recovery-store.ts): 10. The
// claim's history (paid, recovery waived, closed) is held while the claim is locked and written with
// its outbox messages and the claim's final state by the settlement's last statement: 8. The
// claimant's data key (to open the claim) is joined by the statement that locks the claim: 7. The
// payout's update and the waived recovery's insert join the held history's statement: 5.
const STATEMENT_BUDGET = 5;

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
const recorder = statementRecorder();
beforeAll(async () => {
  world = await createWorld({
    log: recorder.log,
  });
  keys = await usMarketplace(world);
}, 300_000);
afterAll(() => world.close());

describe("a clean small claim's payout", () => {
  it('settles within its statement budget, closes the claim and keeps the books and the chain', async () => {
    const filed = await fileClaim(world, keys.agent, claimBody({ customerId: 'cus_dana', channel: 'phone' }));
    expect(filed.body).toMatchObject({ status: 'approved', payer: 'marketplace' });

    // Not woken: a pass's settlement, without the wait for a claim another worker holds.
    const { result: step, statements } = await recorder.record(() => payNextDuePayout(world.ctx));
    expect(step).toBe('paid');

    const claim = (await world.request('GET', `/v1/claims/${filed.body.id}`)).body;
    expect(claim).toMatchObject({ status: 'closed', payment: { status: 'settled' } });
    const history = (await world.request('GET', `/v1/claims/${filed.body.id}/events`)).body.data;
    expect(history.slice(-3).map((e: { type: string }) => e.type)).toEqual([
      'claim.paid',
      'claim.recovery_waived',
      'claim.closed',
    ]);
    expect((await verifyClaimChain(world.ctx.db, filed.body.id)).valid).toBe(true);
    expect((await checkLedger(world.ctx.db)).problems).toEqual([]);

    expect(statements.length).toBeLessThanOrEqual(STATEMENT_BUDGET);
    // The same text on PGlite and PostgreSQL: one dialect, one snapshot.
    await expect(`${statements.map((s) => `${s.trim()};`).join('\n\n')}\n`).toMatchFileSnapshot(
      './__snapshots__/settlement-statements.sql',
    );
  });
});
