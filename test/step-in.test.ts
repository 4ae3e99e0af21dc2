import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check-ledger.ts';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

/*
 * Every way the marketplace comes to pay in a seller's or insurer's place goes through
 * src/claims/step-in.ts, which records why on the claim's history. One story per cause.
 */

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
// One world per file, emptied before each test (harness reset): a new world per test cost
// a database and a server each time.
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.close());
beforeEach(async () => {
  await world.reset();
  keys = await usMarketplace(world);
  await world.work(); // the marketplace's first daily insurance review, so a seller can tender
});
afterEach(async () => {
  expect((await checkLedger(world.ctx.db)).problems).toEqual([]);
});

const DAY = 86_400;
const large = () => claimBody({ lineId: '2', amount: { value: 250_000, currency: 'USD' } });

interface ClaimEvent {
  type: string;
  reason: string | null;
  actor: { role: string };
  data: Record<string, unknown>;
}

/** The staff view of a claim's step-ins, and the claim as it stands. */
async function stepIns(claimId: string) {
  const history = (await world.request('GET', `/v1/claims/${claimId}/events`)).body;
  expect(history.chain).toEqual({ valid: true, brokenAtSeq: null });
  const claim = (await world.request('GET', `/v1/claims/${claimId}`)).body;
  return {
    claim,
    events: (history.data as ClaimEvent[]).filter((e) => e.type === 'claim.stepped_in'),
  };
}

/** Payouts the marketplace makes itself (a seller's confirmed payment is recorded with payer 'seller'). */
async function marketplacePayouts(claimId: string) {
  return world.ctx.db
    .selectFrom('payouts')
    .select(['status', 'amount'])
    .where('claim_id', '=', claimId)
    .where('payer', '=', 'marketplace')
    .execute();
}

/** The seller (Acme) answers a claim against it. */
const sellerAnswers = (claimId: string, body: Record<string, unknown>) =>
  world.request('POST', `/v1/claims/${claimId}/seller-response`, { key: keys.acme, body });

/** Exactly one step-in, recorded as `event` says, with the marketplace paying and one payout of its own. */
async function expectOneStepIn(claimId: string, status: string, event: Partial<ClaimEvent>) {
  const { claim, events } = await stepIns(claimId);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject(event);
  expect(claim).toMatchObject({ payer: 'marketplace', stepIn: true, status });
  expect(await marketplacePayouts(claimId)).toHaveLength(1);
}

describe('the marketplace steps in', () => {
  it('when the seller stays silent past its deadline (seller_silent)', async () => {
    const filed = (await fileClaim(world, keys.dana, large())).body;
    await world.advance(3 * DAY); // the seller's business-day window passes
    await expectOneStepIn(filed.id, 'paid', {
      reason: 'seller_silent',
      actor: { role: 'system' },
      data: { cause: 'seller_silent', payer: 'marketplace', stepIn: true },
    });
  });

  it('when an agent holds valid a claim the seller disputed (dispute_rejected)', async () => {
    const filed = (await fileClaim(world, keys.dana, large())).body;
    const disputed = await sellerAnswers(filed.id, {
      action: 'dispute',
      defense: 'The heater was used outdoors against the manual’s warnings.',
    });
    expect(disputed.body).toMatchObject({ status: 'under_review', reviewKind: 'dispute' });
    const decided = await world.request('POST', `/v1/claims/${filed.id}/decision`, {
      key: keys.agent,
      body: { outcome: 'approve', reason: 'Fire report confirms a wiring fault' },
    });
    expect(decided.status).toBe(200);
    await expectOneStepIn(filed.id, 'approved', {
      reason: 'Fire report confirms a wiring fault',
      actor: { role: 'agent' },
      data: { cause: 'dispute_rejected', payer: 'marketplace', stepIn: true },
    });
  });

  it('when the insurer the seller tendered to stays silent (insurer_silent)', async () => {
    const filed = (await fileClaim(world, keys.dana, large())).body;
    const tendered = await sellerAnswers(filed.id, { action: 'tender' });
    expect(tendered.body.status).toBe('awaiting_insurer');
    const tender = await world.ctx.db
      .selectFrom('tenders')
      .select('due_at')
      .where('claim_id', '=', filed.id)
      .executeTakeFirstOrThrow();
    await world.advance((tender.due_at.getTime() - world.clock.now().getTime()) / 1000 + 1);
    await expectOneStepIn(filed.id, 'paid', {
      reason: 'insurer_silent',
      actor: { role: 'system' },
      data: { cause: 'insurer_silent', payer: 'marketplace', stepIn: true },
    });
  });

  it('when the seller accepted but does not confirm payment in time (payment_unconfirmed)', async () => {
    const filed = (await fileClaim(world, keys.dana, large())).body;
    const accepted = await sellerAnswers(filed.id, { action: 'accept' });
    expect(accepted.body).toMatchObject({ status: 'approved', payer: 'seller', stepIn: false });
    await world.advance(8 * DAY); // past the five business days to confirm
    await expectOneStepIn(filed.id, 'paid', {
      reason: 'payment_not_confirmed',
      actor: { role: 'system' },
      data: { cause: 'payment_unconfirmed', previousPayer: 'seller', payer: 'marketplace', stepIn: true },
    });
  });

  it('not at all when the seller accepts and confirms payment', async () => {
    const filed = (await fileClaim(world, keys.dana, large())).body;
    await sellerAnswers(filed.id, { action: 'accept' });
    const confirmed = await world.request('POST', `/v1/claims/${filed.id}/payment-confirmation`, {
      key: keys.acme,
      body: { reference: 'ACME-PAID-1' },
      headers: { 'idempotency-key': 'confirm-step-in-test' },
    });
    expect(confirmed.status).toBe(200);
    await world.advance(8 * DAY);
    const { claim, events } = await stepIns(filed.id);
    expect(events).toEqual([]);
    expect(claim).toMatchObject({ payer: 'seller', stepIn: false });
    expect(await marketplacePayouts(filed.id)).toEqual([]);
  });
});
