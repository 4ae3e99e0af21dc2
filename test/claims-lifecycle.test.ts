import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

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

const large = (overrides: Record<string, unknown> = {}) =>
  claimBody({ lineId: '2', amount: { value: 250_000, currency: 'USD' }, ...overrides });

async function events(claimId: string) {
  const res = await world.request('GET', `/v1/claims/${claimId}/events`);
  expect(res.body.chain).toEqual({ valid: true, brokenAtSeq: null });
  return res.body.data.map((e: { type: string }) => e.type);
}

describe('a small claim', () => {
  it('is approved at once with the marketplace paying, and the seller is told and may defend', async () => {
    const filed = await fileClaim(world, keys.dana, claimBody());
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({
      status: 'approved',
      payer: 'marketplace',
      stepIn: false,
      policyVersion: { version: 1 },
      denialReason: null,
      approvedAmount: { value: 45_000, currency: 'USD' },
    });
    expect(filed.body.id).toMatch(/^clm_/);
    expect(await events(filed.body.id)).toEqual([
      'claim.filed',
      'claim.hazard_classified',
      'claim.screened',
      'claim.approved',
      'claim.seller_notified',
    ]);
    const sellerView = await world.request('GET', `/v1/claims/${filed.body.id}`, { key: keys.acme });
    expect(sellerView.status).toBe(200);
    expect(sellerView.body.risk).toBeNull();

    const defense = await world.request('POST', `/v1/claims/${filed.body.id}/seller-response`, {
      key: keys.acme,
      body: {
        action: 'dispute',
        defense: 'Our kettle has a thermal fuse; the photos show a different model.',
      },
    });
    expect(defense.status).toBe(200);
    expect(defense.body).toMatchObject({
      status: 'approved',
      payer: 'marketplace',
      sellerResponse: { action: 'dispute' },
    });
    expect((await events(filed.body.id)).at(-1)).toBe('claim.seller_defended');
  });
});

describe('a large claim', () => {
  it('waits for the seller, who accepts and pays', async () => {
    const filed = await fileClaim(world, keys.dana, large());
    expect(filed.body).toMatchObject({ status: 'awaiting_seller', payer: null });
    expect(filed.body.deadlines.sellerResponse).toEqual({
      at: '2026-11-19T05:00:00.000Z',
      local: '2026-11-19T00:00:00-05:00',
      timeZone: 'America/New_York',
    });
    const accepted = await world.request('POST', `/v1/claims/${filed.body.id}/seller-response`, {
      key: keys.acme,
      body: { action: 'accept' },
    });
    expect(accepted.body).toMatchObject({ status: 'approved', payer: 'seller', stepIn: false });
    expect(await events(filed.body.id)).toEqual([
      'claim.filed',
      'claim.hazard_classified',
      'claim.screened',
      'claim.passed_screening',
      'claim.seller_notified',
      'claim.seller_responded',
      'claim.approved',
    ]);
  });

  it('is tendered to the insurer whose verified policy covered the incident date', async () => {
    const filed = await fileClaim(world, keys.dana, large());
    const tendered = await world.request('POST', `/v1/claims/${filed.body.id}/seller-response`, {
      key: keys.acme,
      body: { action: 'tender' },
    });
    expect(tendered.body).toMatchObject({ status: 'awaiting_insurer', payer: null });
  });

  it('cannot be tendered by a seller without an insurer on file', async () => {
    const filed = await fileClaim(
      world,
      keys.dana,
      large({ lineId: '5', amount: { value: 150_000, currency: 'USD' } }),
    );
    const res = await world.request('POST', `/v1/claims/${filed.body.id}/seller-response`, {
      key: keys.other,
      body: { action: 'tender' },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      {
        field: 'body.action',
        rule: 'the seller has no verified insurance covering the incident date to tender to',
      },
    ]);
    expect((await world.request('GET', `/v1/claims/${filed.body.id}`)).body.status).toBe('awaiting_seller');
  });

  it('refuses a second answer', async () => {
    const filed = await fileClaim(world, keys.dana, large());
    const url = `/v1/claims/${filed.body.id}/seller-response`;
    await world.request('POST', url, { key: keys.acme, body: { action: 'accept' } });
    const again = await world.request('POST', url, { key: keys.acme, body: { action: 'tender' } });
    expect(again.status).toBe(409);
  });
});

describe('a silent seller', () => {
  it('makes the marketplace step in exactly when the business-day deadline passes', async () => {
    const filed = await fileClaim(world, keys.dana, large());
    const deadline = new Date(filed.body.deadlines.sellerResponse.at).getTime();
    const untilDeadline = (deadline - world.clock.now().getTime()) / 1000;
    await world.request('POST', '/v1/test-clock/advance', { body: { seconds: untilDeadline - 1 } });
    expect((await world.request('GET', `/v1/claims/${filed.body.id}`)).body.status).toBe('awaiting_seller');
    const moved = await world.request('POST', '/v1/test-clock/advance', { body: { seconds: 1 } });
    expect(moved.body.timersFired).toBe(1);
    const claim = (await world.request('GET', `/v1/claims/${filed.body.id}`)).body;
    // The step-in approves the claim and the payout runs in the same worker pass.
    expect(claim).toMatchObject({ status: 'paid', payer: 'marketplace', stepIn: true });
    const history = (await world.request('GET', `/v1/claims/${filed.body.id}/events`)).body.data;
    expect(history.find((e: { type: string }) => e.type === 'claim.stepped_in')).toMatchObject({
      reason: 'seller_silent',
      actor: { role: 'system' },
    });
  });

  it('gets an extra day when a public holiday falls inside the window', async () => {
    world.clock.set(new Date('2026-11-25T15:00:00Z')); // Wednesday before Thanksgiving
    const filed = await fileClaim(world, keys.dana, large());
    // Thursday 26 is Thanksgiving: Friday 27 and Monday 30 count, so it ends at the start of Tuesday 1 December.
    expect(filed.body.deadlines.sellerResponse.at).toBe('2026-12-01T05:00:00.000Z');
    await world.advance((Date.parse('2026-11-30T05:00:00Z') - world.clock.now().getTime()) / 1000);
    expect((await world.request('GET', `/v1/claims/${filed.body.id}`)).body.status).toBe('awaiting_seller');
    await world.advance(86_400);
    expect((await world.request('GET', `/v1/claims/${filed.body.id}`)).body.stepIn).toBe(true);
  });
});

describe('a disputed claim', () => {
  async function disputed() {
    const filed = await fileClaim(world, keys.dana, large());
    const res = await world.request('POST', `/v1/claims/${filed.body.id}/seller-response`, {
      key: keys.acme,
      body: { action: 'dispute', defense: 'The heater was used outdoors against the manual’s warnings.' },
    });
    expect(res.body).toMatchObject({ status: 'under_review', reviewKind: 'dispute' });
    return filed.body.id as string;
  }

  it('is paid by the marketplace when an agent holds it valid (step-in)', async () => {
    const id = await disputed();
    const decided = await world.request('POST', `/v1/claims/${id}/decision`, {
      key: keys.agent,
      body: {
        outcome: 'approve',
        reason: 'Fire report confirms a wiring fault',
        amount: { value: 200_000, currency: 'USD' },
      },
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({
      status: 'approved',
      payer: 'marketplace',
      stepIn: true,
      approvedAmount: { value: 200_000, currency: 'USD' },
    });
  });

  it('is denied with a reason code, appealed once, and the appeal can succeed', async () => {
    const id = await disputed();
    const denied = await world.request('POST', `/v1/claims/${id}/decision`, {
      key: keys.agent,
      body: { outcome: 'deny', reason: 'unsubstantiated', note: 'No proof the heater caused the fire' },
    });
    expect(denied.body).toMatchObject({ status: 'denied', denialReason: 'unsubstantiated', payer: null });
    expect(denied.body.deadlines.appeal.at).toBe('2026-12-17T05:00:00.000Z');

    const appealed = await world.request('POST', `/v1/claims/${id}/appeal`, {
      key: keys.dana,
      body: { grounds: 'The fire department report is attached and names the heater.' },
    });
    expect(appealed.body).toMatchObject({ status: 'under_review', reviewKind: 'appeal', appealed: true });
    const approved = await world.request('POST', `/v1/claims/${id}/decision`, {
      key: keys.agent,
      body: { outcome: 'approve', reason: 'Report confirms the cause' },
    });
    expect(approved.body).toMatchObject({ status: 'approved', payer: 'marketplace', stepIn: true });
  });

  it('allows only one appeal', async () => {
    const id = await disputed();
    await world.request('POST', `/v1/claims/${id}/decision`, {
      key: keys.agent,
      body: { outcome: 'deny', reason: 'frivolous' },
    });
    await world.request('POST', `/v1/claims/${id}/appeal`, {
      key: keys.dana,
      body: { grounds: 'I disagree with the finding.' },
    });
    const final = await world.request('POST', `/v1/claims/${id}/decision`, {
      key: keys.agent,
      body: { outcome: 'deny', reason: 'frivolous' },
    });
    expect(final.body).toMatchObject({ status: 'denied', deadlines: { appeal: null } });
    const second = await world.request('POST', `/v1/claims/${id}/appeal`, {
      key: keys.dana,
      body: { grounds: 'Trying once more with feeling.' },
    });
    expect(second.status).toBe(409);
  });

  it('closes a denial when the appeal window passes unused', async () => {
    const id = await disputed();
    await world.request('POST', `/v1/claims/${id}/decision`, {
      key: keys.agent,
      body: { outcome: 'deny', reason: 'abusive' },
    });
    await world.advance(31 * 86_400);
    expect((await world.request('GET', `/v1/claims/${id}`)).body.status).toBe('closed');
    const late = await world.request('POST', `/v1/claims/${id}/appeal`, {
      key: keys.dana,
      body: { grounds: 'Too late now.' },
    });
    expect(late.status).toBe(409);
  });
});

describe('a claim that needs information', () => {
  const mismatched = () =>
    claimBody({
      amount: { value: 50_000, currency: 'USD' },
      damages: [
        { kind: 'property_damage', description: 'Counter', amount: { value: 30_000, currency: 'USD' } },
      ],
    });

  it('asks the claimant, and is denied when the claimant does not answer in time', async () => {
    const filed = await fileClaim(world, keys.dana, mismatched());
    expect(filed.body).toMatchObject({ status: 'needs_info' });
    expect(filed.body.deadlines.claimantInformation.at).toBe('2026-12-01T05:00:00.000Z');
    expect((await world.request('GET', `/v1/claims/${filed.body.id}`, { key: keys.acme })).status).toBe(404);
    await world.advance(14 * 86_400);
    expect((await world.request('GET', `/v1/claims/${filed.body.id}`)).body.status).toBe('needs_info');
    await world.advance(86_400);
    const claim = (await world.request('GET', `/v1/claims/${filed.body.id}`)).body;
    expect(claim).toMatchObject({ status: 'denied', denialReason: 'information_not_provided' });
  });

  it('is screened again when the claimant answers, and goes on', async () => {
    const filed = await fileClaim(world, keys.dana, mismatched());
    const answered = await world.request('POST', `/v1/claims/${filed.body.id}/information`, {
      key: keys.dana,
      body: {
        message: 'I forgot the cabinet door.',
        damages: [
          { kind: 'property_damage', description: 'Counter', amount: { value: 30_000, currency: 'USD' } },
          {
            kind: 'property_damage',
            description: 'Cabinet door',
            amount: { value: 20_000, currency: 'USD' },
          },
        ],
      },
    });
    expect(answered.body).toMatchObject({ status: 'approved', payer: 'marketplace' });
    await world.advance(20 * 86_400); // the old information deadline finds nothing to do; the payout ran
    expect((await world.request('GET', `/v1/claims/${filed.body.id}`)).body).toMatchObject({
      status: 'closed',
      denialReason: null,
      payment: { status: 'settled' },
    });
  });

  it('can be asked for by an agent during review', async () => {
    const filed = await fileClaim(world, keys.dana, large());
    await world.request('POST', `/v1/claims/${filed.body.id}/seller-response`, {
      key: keys.acme,
      body: { action: 'dispute', defense: 'We need to see the unit before accepting anything.' },
    });
    const asked = await world.request('POST', `/v1/claims/${filed.body.id}/information-request`, {
      key: keys.agent,
      body: { question: 'Please upload photos of the heater’s label.' },
    });
    expect(asked.body.status).toBe('needs_info');
  });
});

describe('withdrawal', () => {
  it('lets the claimant withdraw before payment, and nothing moves it afterwards', async () => {
    const filed = await fileClaim(world, keys.dana, large());
    const withdrawn = await world.request('POST', `/v1/claims/${filed.body.id}/withdraw`, {
      key: keys.dana,
      body: { reason: 'Settled with the seller directly' },
    });
    expect(withdrawn.body.status).toBe('withdrawn');
    await world.advance(10 * 86_400); // the seller deadline finds a withdrawn claim
    expect((await world.request('GET', `/v1/claims/${filed.body.id}`)).body.status).toBe('withdrawn');
    const answer = await world.request('POST', `/v1/claims/${filed.body.id}/seller-response`, {
      key: keys.acme,
      body: { action: 'accept' },
    });
    expect(answer.status).toBe(409);
    expect(answer.body.type).toBe('urn:redress:problem:invalid_transition');
  });
});

describe('policy versions', () => {
  it('keeps the version in force at filing, even after the policy changes', async () => {
    const before = await fileClaim(world, keys.dana, large());
    const changed = await world.request('PUT', '/v1/marketplaces/mkt_us', {
      body: {
        name: 'Example US',
        currency: 'USD',
        region: 'US',
        timeZone: 'America/New_York',
        policy: { smallClaimLimit: 500_000 },
      },
    });
    expect(changed.body.policyVersion.version).toBe(2);
    const after = await fileClaim(
      world,
      keys.eli,
      claimBody({ orderId: 'ord_2', lineId: '1', amount: { value: 250_000, currency: 'USD' } }),
    );
    expect(before.body).toMatchObject({ status: 'awaiting_seller', policyVersion: { version: 1 } });
    expect(after.body).toMatchObject({
      status: 'approved',
      payer: 'marketplace',
      policyVersion: { version: 2 },
    });
  });

  it('does not make a new version when the policy is unchanged', async () => {
    const again = await world.request('PUT', '/v1/marketplaces/mkt_us', {
      body: { name: 'Example US renamed', currency: 'USD', region: 'US', timeZone: 'America/New_York' },
    });
    expect(again.body).toMatchObject({ name: 'Example US renamed', policyVersion: { version: 1 } });
  });
});
