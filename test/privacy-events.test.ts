import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RiskAssessor } from '../src/claims/risk.ts';
import type { OutgoingMail } from '../src/notifications/mailer.ts';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { WebhookReceiver } from './support/webhook-receiver.ts';

/**
 * Screening that lets every claim through but says why it looked twice: the signals a claimant
 * must never learn ("frequent claimant, high claim to order ratio" taught fraud when shown).
 */
const ASKED_AMOUNT = 33_300; // screening asks this claimant for more, for the same reasons
const watchfulScreening: RiskAssessor = async (_db, claim) => ({
  score: 0.4,
  outcome: claim.amount === ASKED_AMOUNT ? 'needs_info' : 'pass',
  hardRule: null,
  signals: [
    { code: 'frequent_claimant', reason: '3 claims in the last year', weight: 1.5 },
    { code: 'high_claim_to_order_ratio', reason: '3 claims on 4 orders', weight: 1 },
  ],
});

const SCREENING_WORDS =
  /frequent_claimant|high_claim_to_order_ratio|Internal note|score|signals|hardRule|expert/i;
const AGENT_NOTE = 'Internal note: four claims in six months, check the receipts';

interface HistoryEvent {
  type: string;
  reason: string | null;
  actor: { role: string; id: string | null };
  data: Record<string, unknown>;
}

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
let harbor: string;
let expert: string;
let small: string;
let large: string;
const mails: OutgoingMail[] = [];
const receiver = new WebhookReceiver();
beforeAll(async () => {
  await receiver.start();
  world = await createWorld({
    allowPrivateWebhooks: true, // the receiver listens on loopback
    riskAssessor: watchfulScreening,
    mailer: { kind: 'folder', send: async (mail) => void mails.push(mail), forget: async () => false },
  });
  keys = await usMarketplace(world);
  harbor = await world.key('insurer', 'ins_harbor');
  await world.work(); // the marketplace's setup goes out before the parties' endpoints exist
  for (const key of [keys.acme, harbor]) {
    const hook = await world.request('POST', '/v1/webhook-endpoints', {
      key,
      body: { url: receiver.url, eventTypes: ['*'] },
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
  }
  await world.request('PUT', '/v1/experts/exp_lee', {
    body: { marketplaceId: 'mkt_us', organisation: 'Veritas Investigations', name: 'J. Lee' },
  });
  expert = await world.key('expert', 'exp_lee');

  // A small claim is approved at once, with screening's signals as the routing's reason.
  small = (await fileClaim(world, keys.dana, claimBody())).body.id;
  // A large one goes to the seller; an agent refers it with an internal note; the expert looks
  // and finds it valid; the seller tenders it to its insurer.
  const filed = await fileClaim(
    world,
    keys.dana,
    claimBody({ lineId: '2', amount: { value: 250_000, currency: 'USD' } }),
  );
  large = filed.body.id;
  expect(filed.body.status).toBe('awaiting_seller');
  const referral = await world.request('POST', `/v1/claims/${large}/referrals`, {
    key: keys.agent,
    body: { reason: AGENT_NOTE },
  });
  expect(referral.status, JSON.stringify(referral.body)).toBe(201);
  expect((await world.request('GET', `/v1/referrals/${referral.body.id}`, { key: expert })).status).toBe(200);
});
afterAll(async () => {
  await world.close();
  await receiver.stop();
});

const history = async (claimId: string, key: string) =>
  world.request<{ data: HistoryEvent[]; chain: { valid: boolean } }>('GET', `/v1/claims/${claimId}/events`, {
    key,
  });

/** The fields GET /v1/event-types promises this key, per type: what every event it gets must keep to. */
async function promisedFields(key: string): Promise<Map<string, string[]>> {
  const types = (await world.request('GET', '/v1/event-types', { key })).body.data as {
    type: string;
    fields: string[];
  }[];
  return new Map(types.map((t) => [t.type, t.fields]));
}

async function expectNothingOfScreening(events: HistoryEvent[], key: string) {
  const promised = await promisedFields(key);
  for (const e of events) {
    expect(promised.has(e.type), `${e.type} is not in the catalogue this key reads`).toBe(true);
    for (const field of Object.keys(e.data)) expect(promised.get(e.type), e.type).toContain(field);
  }
  expect(JSON.stringify(events)).not.toMatch(SCREENING_WORDS);
}

describe('a claim screening looked at twice, as each party sees it', () => {
  it('is all there for staff: the signals, the referral note, the expert’s visit', async () => {
    const all = (await history(large, keys.agent)).body.data;
    expect(all.map((e) => e.type)).toEqual(
      expect.arrayContaining(['claim.screened', 'claim.referred_to_expert', 'claim.viewed_by_expert']),
    );
    expect(all.find((e) => e.type === 'claim.passed_screening')?.reason).toBe(
      'frequent_claimant,high_claim_to_order_ratio',
    );
    expect(all.find((e) => e.type === 'claim.referred_to_expert')?.reason).toBe(AGENT_NOTE);
    const approved = (await history(small, keys.agent)).body.data.find((e) => e.type === 'claim.approved');
    expect(approved?.reason).toBe('frequent_claimant,high_claim_to_order_ratio');
  });

  it('tells the claimant its claim is being reviewed, never why', async () => {
    const res = await history(large, keys.dana);
    expect(res.status).toBe(200);
    expect(res.body.chain.valid).toBe(true);
    const types = res.body.data.map((e) => e.type);
    expect(types).toEqual([
      'claim.filed',
      'claim.passed_screening',
      'claim.seller_notified',
      'claim.review_started',
    ]);
    expect(res.body.data.at(-1)).toMatchObject({
      reason: null,
      actor: { role: 'marketplace', id: null },
      data: { from: 'awaiting_seller', to: 'under_review' },
    });
    await expectNothingOfScreening(res.body.data, keys.dana);
    const claim = (await world.request('GET', `/v1/claims/${large}`, { key: keys.dana })).body;
    expect(claim).toMatchObject({ status: 'under_review', reviewKind: null, risk: null });
    const listed = async (status: string) =>
      (await world.request('GET', `/v1/claims?status=${status}`, { key: keys.dana })).body.data.map(
        (c: { id: string }) => c.id,
      );
    expect(await listed('expert_review')).toEqual([]);
    expect(await listed('under_review')).toEqual([large]);

    const approved = (await history(small, keys.dana)).body.data.find((e) => e.type === 'claim.approved');
    expect(approved).toMatchObject({ reason: null, data: { payer: 'marketplace' } });
    await expectNothingOfScreening((await history(small, keys.dana)).body.data, keys.dana);
    const words = (await world.request('GET', '/v1/event-types', { key: keys.dana })).body.data;
    expect(words.find((t: { type: string }) => t.type === 'claim.review_started').words).toEqual({
      en: 'Our team is reviewing your claim',
      es: 'Estamos revisando su reclamación',
      de: 'Unser Team prüft Ihren Antrag',
    });
  });

  it('shows the seller its claim’s progress, not the referral nor the signals', async () => {
    const res = await history(large, keys.acme);
    expect(res.status).toBe(200);
    expect(res.body.data.map((e) => e.type)).toEqual(['claim.seller_notified']);
    await expectNothingOfScreening(res.body.data, keys.acme);
    expect((await world.request('GET', `/v1/claims/${large}`, { key: keys.acme })).body.status).toBe(
      'under_review',
    );
    const smallSeen = (await history(small, keys.acme)).body.data;
    expect(smallSeen.map((e) => e.type)).toContain('claim.approved');
    await expectNothingOfScreening(smallSeen, keys.acme);
  });

  it('shows the insurer what was tendered to it, and the expert nothing of the history', async () => {
    const found = await world.request('GET', '/v1/referrals', { key: expert });
    await world.request('POST', `/v1/referrals/${found.body.data[0].id}/findings`, {
      key: expert,
      body: { verdict: 'valid', notes: 'Receipts and photos are consistent.', confidence: 0.9 },
    });
    const tendered = await world.request('POST', `/v1/claims/${large}/seller-response`, {
      key: keys.acme,
      body: { action: 'tender' },
    });
    expect(tendered.body.status, JSON.stringify(tendered.body)).toBe('awaiting_insurer');
    const res = await history(large, harbor);
    expect(res.status).toBe(200);
    expect(res.body.data.map((e) => e.type)).toEqual([
      'claim.seller_notified',
      'claim.seller_notified',
      'claim.tendered',
    ]);
    await expectNothingOfScreening(res.body.data, harbor);
    // The claimant still never learns an expert looked: the finding reaches it as the seller's turn.
    const claimant = (await history(large, keys.dana)).body.data;
    await expectNothingOfScreening(claimant, keys.dana);
    expect(claimant.map((e) => e.type)).not.toContain('claim.expert_findings');
    expect((await history(large, expert)).status).toBe(403);
  });
});

describe('what leaves the marketplace', () => {
  it('webhooks to the seller and the insurer carry the catalogue’s fields, no signals, no notes', async () => {
    await world.work();
    const bodies = receiver.received.map((r) => JSON.parse(r.body) as { type: string; data: HistoryEvent });
    expect(bodies.map((b) => b.type)).toEqual(expect.arrayContaining(['claim.approved', 'claim.tendered']));
    expect(JSON.stringify(bodies)).not.toMatch(SCREENING_WORDS);
    const approved = bodies.find((b) => b.type === 'claim.approved');
    expect(approved?.data).toMatchObject({ claimId: small, reason: null, data: { payer: 'marketplace' } });
  });

  it('e-mails the claimant that more is needed without saying which rule asked', async () => {
    const asked = await fileClaim(
      world,
      keys.eli,
      claimBody({ orderId: 'ord_2', amount: { value: ASKED_AMOUNT, currency: 'USD' } }),
    );
    expect(asked.body.status).toBe('needs_info');
    await world.work();
    // The claimant's mails about this claim: first "we received your claim", then the request.
    const mail = mails.find(
      (m) =>
        m.to === 'eli@example.com' &&
        m.text.includes(asked.body.id) &&
        m.subject.includes('we need more information'),
    );
    expect(mail).toBeDefined();
    expect(`${mail?.subject} ${mail?.text} ${mail?.html}`).not.toMatch(SCREENING_WORDS);
    expect(JSON.stringify(mails)).not.toMatch(/frequent.claimant|high.claim.to.order/i);
  });
});

describe('ledger accounts', () => {
  it('are read by their own party in its own role: an id shared by a customer and a seller opens only its own', async () => {
    const proceeds = await world.request('POST', '/v1/sellers/slr_acme/proceeds', {
      headers: { 'idempotency-key': 'privacy-proceeds-1' },
      body: { amount: { value: 50_000, currency: 'USD' } },
    });
    expect(proceeds.status).toBe(201);
    const sellerAccount = '/v1/ledger/accounts/seller_disbursement:mkt_us:slr_acme';
    const customerAccount = '/v1/ledger/accounts/customer_payable:mkt_us:cus_dana';
    const customerNamedLikeTheSeller = await world.key('customer', 'slr_acme');
    const sellerNamedLikeTheCustomer = await world.key('seller', 'cus_dana');
    expect((await world.request('GET', sellerAccount, { key: customerNamedLikeTheSeller })).status).toBe(404);
    expect((await world.request('GET', customerAccount, { key: sellerNamedLikeTheCustomer })).status).toBe(
      404,
    );
    expect((await world.request('GET', sellerAccount, { key: keys.acme })).status).toBe(200);
    expect((await world.request('GET', customerAccount, { key: keys.dana })).status).toBe(200);
    expect((await world.request('GET', customerAccount, { key: keys.agent })).status).toBe(200);
  });
});
