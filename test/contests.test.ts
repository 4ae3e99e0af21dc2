import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check-ledger.ts';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { multipart, photo } from './support/uploads.ts';

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
});
afterEach(async () => {
  // The books balance and no claim is paid twice after every story (`redress ledger check`).
  expect((await checkLedger(world.ctx.db)).problems).toEqual([]);
});

const DAY = 86_400;
const claim = async (id: string) => (await world.request('GET', `/v1/claims/${id}`)).body;
async function balance(id: string): Promise<number> {
  const res = await world.request('GET', `/v1/ledger/accounts/${encodeURIComponent(id)}`);
  return res.status === 404 ? 0 : res.body.balance.value;
}
const contest = (claimId: string, key: string, body: unknown) =>
  world.request('POST', `/v1/claims/${claimId}/contest`, { key, body });
const decide = (claimId: string, body: unknown) =>
  world.request('POST', `/v1/claims/${claimId}/contest/decision`, { key: keys.agent, body });

/** Other Goods, uninsured and not compliant, holds 200.00 of proceeds; its lamp burned Dana's desk. */
async function chargedSmallClaim(): Promise<string> {
  const current = (await world.request('GET', '/v1/sellers/slr_other')).body;
  await world.request('PUT', '/v1/sellers/slr_other', {
    body: { ...current, standing: 'not_compliant', kind: undefined },
  });
  await world.request('POST', '/v1/sellers/slr_other/proceeds', {
    body: { amount: { value: 20_000, currency: 'USD' } },
    headers: { 'idempotency-key': 'proceeds-contest-1' },
  });
  const filed = (await fileClaim(world, keys.dana, claimBody({ lineId: '5' }))).body;
  await world.work();
  // Past the seller's 7 days to show proof of insurance: 200.00 offset, 250.00 invoiced.
  await world.advance(8 * DAY);
  expect((await claim(filed.id)).recovery.status).toBe('invoiced');
  return filed.id;
}

describe('a seller contests the marketplace paying a small claim and charging it', () => {
  it('reversed: the recovery is cancelled, the offset refunded, the books balanced; a second contest is refused', async () => {
    const claimId = await chargedSmallClaim();
    expect(await balance('seller_disbursement:mkt_us:slr_other')).toBe(0);
    expect(await balance('seller_receivable:mkt_us:slr_other')).toBe(25_000);

    const evidence = await world.request('POST', `/v1/claims/${claimId}/evidence?purpose=photo`, {
      key: keys.other,
      ...multipart('our-lamp.png', await photo(40), 'image/png'),
    });
    expect(evidence.status).toBe(201);
    const filed = await contest(claimId, keys.other, {
      reason: 'The lamp in the photos is not our model: ours has a metal base and a different switch.',
      evidenceIds: [evidence.body.id],
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body).toMatchObject({
      status: 'open',
      sellerId: 'slr_other',
      evidenceIds: [evidence.body.id],
      filedBy: { role: 'seller' },
      notice: expect.stringContaining('waives none of your rights or defences'),
    });

    // The claimant's payment stands whatever happens: the contest is not theirs to see (no
    // claimant may read contests at all), nor another seller's (as if there were none).
    expect((await world.request('GET', `/v1/claims/${claimId}/contest`, { key: keys.dana })).status).toBe(
      403,
    );
    expect((await world.request('GET', `/v1/claims/${claimId}/contest`, { key: keys.acme })).status).toBe(
      404,
    );
    const again = await contest(claimId, keys.other, {
      reason: 'And another thing about the lamp base and switch.',
    });
    expect(again.status).toBe(409);
    expect(again.body.rule).toBe('already_contested');

    const decided = await decide(claimId, {
      outcome: 'reversed',
      note: 'The photos show a different model; the recovery is cancelled and the offset refunded.',
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body).toMatchObject({
      status: 'reversed',
      reversal: [{ cancelled: 25_000, refunded: 20_000 }],
    });
    expect(await balance('seller_receivable:mkt_us:slr_other')).toBe(0);
    // The 200.00 taken from its proceeds is owed to it again (a credit balance held for it).
    expect(await balance('seller_disbursement:mkt_us:slr_other')).toBe(-20_000);
    // The guarantee bears the claim after all; Dana keeps her 450.00.
    expect(await balance('guarantee_fund:mkt_us')).toBe(45_000);
    // Cash: 200.00 of proceeds came in, 450.00 went out to Dana; the refund is owed, not yet paid.
    expect(await balance('marketplace_cash:mkt_us')).toBe(-25_000);
    expect((await claim(claimId)).payment).toMatchObject({ status: 'settled' });
    const booked = await world.request('GET', `/v1/claims/${claimId}/ledger`, { key: keys.agent });
    expect(booked.body.data.map((e: { kind: string }) => e.kind).slice(-2)).toEqual([
      'recovery_reversed',
      'recovery_refunded',
    ]);

    // A contest of the contest is refused; so is deciding it twice.
    expect(
      (await contest(claimId, keys.other, { reason: 'We contest the decision on our contest too.' })).status,
    ).toBe(409);
    expect(
      (await decide(claimId, { outcome: 'upheld', note: 'Changed my mind about this one.' })).status,
    ).toBe(409);

    // The seller hears of both, by webhook-visible history and by e-mail with the no-waiver notice.
    const history = await world.request('GET', `/v1/claims/${claimId}/events`, { key: keys.other });
    const seen = history.body.data.map((e: { type: string; reason: string | null }) => [e.type, e.reason]);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['claim.contested', 'contested'],
        ['claim.contest_decided', 'reversed'],
      ]),
    );
    await world.work();
    const mails = await world.ctx.db
      .selectFrom('mail_deliveries')
      .select(['template', 'recipient_id'])
      .where('template', '=', 'seller_contest')
      .execute();
    expect(mails).toEqual([
      { template: 'seller_contest', recipient_id: 'slr_other' },
      { template: 'seller_contest', recipient_id: 'slr_other' },
    ]);
  });

  it('upheld: the recovery stands and the seller still owes the invoice', async () => {
    const claimId = await chargedSmallClaim();
    expect(
      (
        await contest(claimId, keys.other, {
          reason: 'The lamp was used with the wrong bulb, against its manual.',
        })
      ).status,
    ).toBe(201);
    const decided = await decide(claimId, {
      outcome: 'upheld',
      note: 'The manual allows that bulb; the recovery stands.',
    });
    expect(decided.body).toMatchObject({ status: 'upheld', reversal: null });
    expect(await balance('seller_receivable:mkt_us:slr_other')).toBe(25_000);
    expect((await claim(claimId)).recovery.status).toBe('invoiced');
  });

  it('out of time: 30 days after the latest charge the contest is refused', async () => {
    const claimId = await chargedSmallClaim();
    await world.advance(31 * DAY);
    const late = await contest(claimId, keys.other, {
      reason: 'We only now found the wiring diagram of the lamp.',
    });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ rule: 'contest_window_closed' });
  });

  it('refuses a claim the marketplace did not pay, and a seller that is not the claim’s', async () => {
    const large = (
      await fileClaim(
        world,
        keys.dana,
        claimBody({ lineId: '2', amount: { value: 300_000, currency: 'USD' } }),
      )
    ).body;
    expect(large.status).toBe('awaiting_seller');
    const early = await contest(large.id, keys.acme, {
      reason: 'We have not even been asked to answer yet.',
    });
    expect([early.status, early.body.rule]).toEqual([409, 'not_resolved_by_marketplace']);
    const claimId = await chargedSmallClaim();
    expect(
      (await contest(claimId, keys.acme, { reason: 'Not our lamp, not our claim, but we try.' })).status,
    ).toBe(404);
    const short = await contest(claimId, keys.other, { reason: 'short' });
    expect(short.status).toBe(400);
  });
});
