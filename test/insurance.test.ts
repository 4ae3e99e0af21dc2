import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check-ledger.ts';
import { claimBody, fileClaim, insurePolicy, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { multipart, png } from './support/uploads.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
let harbor: string;
// One world per file, emptied before each test (harness reset): a new world per test cost
// a database and a server each time.
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.close());
beforeEach(async () => {
  await world.reset();
  keys = await usMarketplace(world);
  harbor = await world.key('insurer', 'ins_harbor');
  await world.work(); // the marketplace's first daily insurance review
});
afterEach(async () => {
  expect((await checkLedger(world.ctx.db)).problems).toEqual([]);
});

const DAY = 86_400;
const usd = (value: number) => ({ value, currency: 'USD' });
const pdf = () => Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

const policyBody = (overrides: Record<string, unknown> = {}) => ({
  insurerId: 'ins_harbor',
  policyNumber: 'CGL-OTHER-1',
  perOccurrence: usd(100_000_000),
  aggregate: usd(200_000_000),
  deductible: usd(250_000),
  additionalInsured: true,
  effectiveFrom: '2026-10-01T00:00:00Z',
  expiresAt: '2027-10-01T00:00:00Z',
  ...overrides,
});

const insurance = async (sellerId: string) =>
  (await world.request('GET', `/v1/sellers/${sellerId}/insurance`)).body;

async function outboxTypes(prefix: string): Promise<string[]> {
  const rows = await world.ctx.db
    .selectFrom('outbox')
    .select('event_type')
    .where('event_type', 'like', `${prefix}%`)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.event_type);
}

describe('policies on file', () => {
  it('an agent verifies only with a certificate; a rejected policy returns to the queue with a new one', async () => {
    const filed = await world.request('POST', '/v1/sellers/slr_other/insurance-policies', {
      key: keys.other,
      body: policyBody(),
    });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ status: 'pending_verification', source: 'seller', shortfalls: [] });
    const id = filed.body.id;

    const noCertificate = await world.request('POST', `/v1/insurance-policies/${id}/verification`, {
      key: keys.agent,
      body: { decision: 'verified' },
    });
    expect(noCertificate.status).toBe(422);
    expect(noCertificate.body.errors).toEqual([
      { field: 'certificate', rule: 'a certificate of insurance must be on file before an agent verifies' },
    ]);

    const notADocument = await world.request('POST', `/v1/insurance-policies/${id}/certificate`, {
      key: keys.other,
      ...multipart('cert.pdf', Buffer.from('plain text, not a certificate'), 'application/pdf'),
    });
    expect(notADocument.status).toBe(415);
    const uploaded = await world.request('POST', `/v1/insurance-policies/${id}/certificate`, {
      key: keys.other,
      ...multipart('certificate.png', png(), 'image/png'),
    });
    expect(uploaded.body.certificate).toMatchObject({ mediaType: 'image/png', filename: 'certificate.png' });

    const rejected = await world.request('POST', `/v1/insurance-policies/${id}/verification`, {
      key: keys.agent,
      body: { decision: 'rejected', reason: 'The certificate names another company as insured.' },
    });
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      rejectionReason: 'The certificate names another company as insured.',
    });
    await world.request('POST', `/v1/insurance-policies/${id}/certificate`, {
      key: keys.other,
      ...multipart('certificate.pdf', pdf(), 'application/pdf'),
    });
    const queue = await world.request('GET', '/v1/insurance-policies?status=pending_verification', {
      key: keys.agent,
    });
    expect(queue.body.data.map((p: { id: string }) => p.id)).toEqual([id]);
    const verified = await world.request('POST', `/v1/insurance-policies/${id}/verification`, {
      key: keys.agent,
      body: { decision: 'verified' },
    });
    expect(verified.body).toMatchObject({ status: 'verified', verifiedBy: 'agent' });
    const download = await world.request('GET', `/v1/insurance-policies/${id}/certificate`, {
      key: keys.other,
    });
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(await insurance('slr_other')).toMatchObject({ status: 'compliant', coveringPolicyId: id });
    expect(await outboxTypes('insurance.policy_')).toEqual([
      'insurance.policy_filed', // the fixture's policy for Acme
      'insurance.policy_verified',
      'insurance.policy_filed',
      'insurance.policy_rejected',
      'insurance.policy_verified',
    ]);
  });

  it('shows where a policy falls short of the minimum, and such cover does not make a seller compliant', async () => {
    const weak = await insurePolicy(world, 'slr_other', {
      perOccurrence: usd(50_000_000),
      aggregate: usd(50_000_000),
      additionalInsured: false,
    });
    const view = (await world.request('GET', `/v1/insurance-policies/${weak.id}`, { key: keys.other })).body;
    expect(view.shortfalls.map((s: { rule: string }) => s.rule)).toEqual([
      'per_occurrence_limit',
      'aggregate_limit',
      'additional_insured',
    ]);
    expect(await insurance('slr_other')).toMatchObject({ status: 'not_required', coveringPolicyId: null });
  });

  it('keeps policies to their seller and their insurer', async () => {
    const otherInsurer = await world.key('insurer', 'ins_other');
    const filed = await world.request('POST', '/v1/sellers/slr_other/insurance-policies', {
      key: keys.acme,
      body: policyBody(),
    });
    expect(filed.status).toBe(404);
    const own = await world.request('POST', '/v1/sellers/slr_other/insurance-policies', {
      key: keys.other,
      body: policyBody(),
    });
    const verify = await world.request('POST', `/v1/insurance-policies/${own.body.id}/verification`, {
      key: otherInsurer,
      body: { decision: 'verified' },
    });
    expect(verify.status).toBe(404);
    expect(
      (await world.request('GET', `/v1/insurance-policies/${own.body.id}`, { key: keys.acme })).status,
    ).toBe(404);
    expect((await world.request('GET', '/v1/sellers/slr_other/insurance', { key: keys.acme })).status).toBe(
      404,
    );
    const byInsurer = await world.request('POST', `/v1/insurance-policies/${own.body.id}/verification`, {
      key: harbor,
      body: { decision: 'verified' },
    });
    expect(byInsurer.body).toMatchObject({ status: 'verified', verifiedBy: 'insurer' });
  });

  it('refuses a policy of an unknown insurer, limits in two currencies, and an end before the start', async () => {
    const post = (body: unknown) =>
      world.request('POST', '/v1/sellers/slr_other/insurance-policies', { key: keys.other, body });
    expect((await post(policyBody({ insurerId: 'ins_nowhere' }))).body.errors).toEqual([
      { field: 'body.insurerId', rule: 'insurer ins_nowhere is not registered with the marketplace' },
    ]);
    expect((await post(policyBody({ deductible: { value: 1, currency: 'EUR' } }))).body.errors).toEqual([
      { field: 'body.deductible.currency', rule: 'must be USD, as the per-occurrence limit' },
    ]);
    expect((await post(policyBody({ expiresAt: '2026-09-01T00:00:00Z' }))).body.errors).toEqual([
      { field: 'body.expiresAt', rule: 'must be after effectiveFrom' },
    ]);
    await post(policyBody());
    expect((await post(policyBody())).status).toBe(409);
  });
});

describe('the insurance flag', () => {
  async function sellLamps(orderId: string, units: number) {
    const res = await world.request('PUT', `/v1/orders/${orderId}`, {
      body: {
        marketplaceId: 'mkt_us',
        customerId: 'cus_eli',
        lines: [
          {
            lineId: '1',
            productId: 'prd_lamp',
            sellerId: 'slr_other',
            quantity: units,
            unitPrice: usd(2_999),
            deliveredAt: null,
          },
        ],
      },
    });
    expect(res.status).toBe(200);
  }

  it('flips to not compliant after the grace period without cover, and back when cover is verified', async () => {
    await sellLamps('ord_bulk_1', 300); // USD 8,997.00: under USD 10,000 in the month
    await world.advance(DAY);
    expect(await insurance('slr_other')).toMatchObject({ status: 'not_required', requiredSince: null });
    await sellLamps('ord_bulk_2', 50); // now USD 10,496.50 this month
    await world.advance(DAY);
    const required = await insurance('slr_other');
    expect(required).toMatchObject({ status: 'grace', requiredSince: '2026-11-18T15:00:00.000Z' });
    expect(required.graceUntil).toBe('2026-12-18T15:00:00.000Z');

    await world.advance(29 * DAY);
    expect((await insurance('slr_other')).status).toBe('grace');
    await world.advance(DAY);
    expect((await insurance('slr_other')).status).toBe('not_compliant');
    expect((await world.request('GET', '/v1/sellers/slr_other')).body.insurance.status).toBe('not_compliant');

    await insurePolicy(world, 'slr_other', {
      effectiveFrom: '2026-12-18T00:00:00Z',
      expiresAt: '2027-12-18T00:00:00Z',
    });
    expect((await insurance('slr_other')).status).toBe('compliant');
    const flags = await world.ctx.db
      .selectFrom('outbox')
      .select('payload')
      .where('event_type', '=', 'insurance.status_changed')
      .where('aggregate_id', '=', 'slr_other')
      .orderBy('id')
      .execute();
    expect(flags.map((f) => (f.payload as { data: { to: string } }).data.to)).toEqual([
      'grace',
      'not_compliant',
      'compliant',
    ]);
  });

  it('reminds the seller 30 and 7 days before expiry, expires the policy by the clock, and flags a seller that must hold cover', async () => {
    await sellLamps('ord_bulk', 400);
    await world.advance(DAY);
    const policy = await insurePolicy(world, 'slr_other', {
      effectiveFrom: '2026-06-01T00:00:00Z',
      expiresAt: '2027-01-31T00:00:00Z',
    });
    expect((await insurance('slr_other')).status).toBe('compliant');
    await world.advance(45 * DAY); // 2 January 2027: the 30-day reminder has gone
    expect(await outboxTypes('insurance.policy_expiring')).toHaveLength(1);
    await world.advance(30 * DAY); // 1 February: the 7-day reminder, then expiry
    expect(await outboxTypes('insurance.policy_expiring')).toHaveLength(2);
    const expired = (await world.request('GET', `/v1/insurance-policies/${policy.id}`)).body;
    expect(expired.status).toBe('expired');
    // Its grace period ended long ago: without cover the seller is flagged at once.
    expect((await insurance('slr_other')).status).toBe('not_compliant');
    await world.work();
    const mail = await world.ctx.db
      .selectFrom('mail_deliveries')
      .select(['template', 'to_address'])
      .where('recipient_id', '=', 'slr_other')
      .execute();
    expect(mail).toContainEqual({ template: 'seller_insurance', to_address: 'ops@other.example' });
  });

  it('sends no reminder when a renewal is already verified', async () => {
    await insurePolicy(world, 'slr_other', {
      effectiveFrom: '2026-06-01T00:00:00Z',
      expiresAt: '2026-12-31T00:00:00Z',
    });
    await insurePolicy(world, 'slr_other', {
      effectiveFrom: '2026-12-31T00:00:00Z',
      expiresAt: '2027-12-31T00:00:00Z',
    });
    await world.advance(50 * DAY);
    expect(await outboxTypes('insurance.policy_expiring')).toEqual([]);
    expect((await insurance('slr_other')).status).toBe('compliant');
  });
});

describe('a tendered claim', () => {
  const large = () => claimBody({ lineId: '2', amount: usd(250_000) });

  async function tender() {
    const filed = (await fileClaim(world, keys.dana, large())).body;
    const res = await world.request('POST', `/v1/claims/${filed.id}/seller-response`, {
      key: keys.acme,
      body: { action: 'tender' },
    });
    expect(res.body.status).toBe('awaiting_insurer');
    const [open] = (await world.request('GET', '/v1/tenders', { key: harbor })).body.data;
    return { claimId: filed.id as string, tenderId: open.id as string, open };
  }

  const answer = (tenderId: string, body: unknown, key = harbor) =>
    world.request('POST', `/v1/tenders/${tenderId}`, {
      key,
      body,
      headers: { 'idempotency-key': `answer-${tenderId}-${JSON.stringify(body).length}` },
    });
  const claim = async (id: string) => (await world.request('GET', `/v1/claims/${id}`)).body;

  it('carries the covering policy, the deductible and a business-day deadline', async () => {
    const { claimId, open } = await tender();
    const acme = await insurance('slr_acme');
    expect(open).toMatchObject({
      kind: 'claim',
      claimId,
      insurerId: 'ins_harbor',
      policyId: acme.policies[0].id,
      amount: usd(250_000),
      deductible: usd(100_000),
      status: 'open',
      // Tendered Monday 16 November: five business days run to the end of Monday 23 November.
      dueAt: '2026-11-24T05:00:00.000Z',
    });
    expect(await claim(claimId)).toMatchObject({ status: 'awaiting_insurer' });
    expect((await world.request('GET', `/v1/claims/${claimId}`, { key: harbor })).status).toBe(200);
  });

  it('declined, goes back to the seller with a fresh deadline; the seller’s silence then brings the step-in', async () => {
    const { claimId, tenderId } = await tender();
    await world.advance(DAY);
    const declined = await answer(tenderId, {
      action: 'decline',
      reason: 'Product excluded: sold without UL listing.',
    });
    expect(declined.body).toMatchObject({
      status: 'declined',
      declineReason: 'Product excluded: sold without UL listing.',
    });
    const back = await claim(claimId);
    // Declined Tuesday 17 November: two business days run to the end of Thursday 19 November.
    expect(back).toMatchObject({ status: 'awaiting_seller', sellerResponse: null });
    expect(back.deadlines.sellerResponse.at).toBe('2026-11-20T05:00:00.000Z');
    const again = await world.request('POST', `/v1/claims/${claimId}/seller-response`, {
      key: keys.acme,
      body: { action: 'tender' },
    });
    expect(again.body.errors).toEqual([
      { field: 'body.action', rule: 'insurer ins_harbor already declined this claim: accept or dispute it' },
    ]);
    await world.advance(2 * DAY); // the first deadline (end of 18 November) passes: nothing happens
    expect((await claim(claimId)).status).toBe('awaiting_seller');
    await world.advance(DAY);
    expect(await claim(claimId)).toMatchObject({
      status: 'paid',
      payer: 'marketplace',
      stepIn: true,
      payment: { status: 'settled' },
      recovery: { status: 'pending' },
    });
  });

  it('asks for information; the answer gives the insurer a fresh deadline; silence past it brings the step-in', async () => {
    const { claimId, tenderId } = await tender();
    await answer(tenderId, {
      action: 'request_info',
      question: 'Was the unit bought new, and from which batch?',
    });
    const seen = (await world.request('GET', `/v1/tenders/${tenderId}`, { key: keys.acme })).body;
    expect(seen).toMatchObject({
      status: 'info_requested',
      question: 'Was the unit bought new, and from which batch?',
    });
    const history = (await world.request('GET', `/v1/claims/${claimId}/events`, { key: keys.acme })).body;
    expect(history.data.map((e: { type: string }) => e.type)).toContain('claim.tender_info_requested');

    await world.advance(3 * DAY); // Thursday 19 November
    const informed = await world.request('POST', `/v1/tenders/${tenderId}/information`, {
      key: keys.acme,
      body: { information: 'New, batch 2026-41; test report attached to the claim.' },
    });
    // Five business days from Thursday run to the end of Friday 27 November (Thanksgiving skipped).
    expect(informed.body).toMatchObject({ status: 'open', dueAt: '2026-11-28T05:00:00.000Z' });

    await world.advance(5 * DAY); // past the first deadline: still waiting
    expect((await claim(claimId)).status).toBe('awaiting_insurer');
    await world.advance(4 * DAY);
    expect((await world.request('GET', `/v1/tenders/${tenderId}`)).body.status).toBe('expired');
    const stepped = await claim(claimId);
    expect(stepped).toMatchObject({
      status: 'paid',
      payer: 'marketplace',
      stepIn: true,
      recovery: { status: 'pending' },
    });
    const late = await answer(tenderId, { action: 'accept', paymentReference: 'TOO-LATE-1' });
    expect(late.status).toBe(409);
  });

  it('is withdrawn with its claim: the insurer can no longer accept it', async () => {
    const { claimId, tenderId } = await tender();
    const withdrawn = await world.request('POST', `/v1/claims/${claimId}/withdraw`, {
      key: keys.dana,
      body: {},
    });
    expect(withdrawn.body.status).toBe('withdrawn');
    expect((await world.request('GET', `/v1/tenders/${tenderId}`, { key: harbor })).body.status).toBe(
      'withdrawn',
    );
    expect((await answer(tenderId, { action: 'accept', paymentReference: 'HARBOR-99' })).status).toBe(409);
    expect(await outboxTypes('insurance.tender_withdrawn')).toHaveLength(1);
    expect(
      await world.ctx.db.selectFrom('payouts').select('id').where('claim_id', '=', claimId).execute(),
    ).toEqual([]);
  });

  it('is seen and answered only by its own insurer', async () => {
    const { claimId, tenderId } = await tender();
    const stranger = await world.key('insurer', 'ins_other');
    expect((await world.request('GET', '/v1/tenders', { key: stranger })).body.data).toEqual([]);
    expect((await world.request('GET', `/v1/tenders/${tenderId}`, { key: stranger })).status).toBe(404);
    expect((await world.request('GET', `/v1/claims/${claimId}`, { key: stranger })).status).toBe(404);
    expect((await answer(tenderId, { action: 'accept', paymentReference: 'STEAL-1' }, stranger)).status).toBe(
      404,
    );
    expect((await world.request('GET', `/v1/tenders/${tenderId}`, { key: keys.other })).status).toBe(404);
    expect((await world.request('GET', '/v1/tenders', { key: keys.other })).body.data).toEqual([]);
    expect((await claim(claimId)).status).toBe('awaiting_insurer');
  });
});

describe('the insurance network', () => {
  const appetite = (overrides: Record<string, unknown> = {}) => ({
    currency: 'USD',
    annualSales: { min: 1_000_000, max: 1_000_000_000 },
    limits: { minPerOccurrence: 100_000_000, maxPerOccurrence: 500_000_000, maxAggregate: 1_000_000_000 },
    deductible: 250_000,
    policyExclusions: ['Punitive damages'],
    rating: {
      baseRatePer1000: { kitchen_appliances: 2, heating: 5 },
      claimsHistory: [
        { upToClaims: 0, factor: 0.9 },
        { upToClaims: 3, factor: 1 },
      ],
      compliance: { compliant: 0.9 },
      minimumPremium: 60_000,
    },
    ...overrides,
  });

  async function provider(id: string, name: string, body: Record<string, unknown>, vet = true) {
    await world.request('PUT', `/v1/insurers/${id}`, { body: { name, financialRating: 'A' } });
    const key = await world.key('insurer', id);
    const published = await world.request('PUT', `/v1/insurers/${id}/appetite`, { key, body });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body.networkStatus).toBe('applied');
    if (vet) {
      const vetted = await world.request('POST', `/v1/insurers/${id}/vetting`, {
        body: { decision: 'vetted' },
      });
      expect(vetted.body).toMatchObject({ networkStatus: 'vetted', vettedAt: '2026-11-16T15:00:00.000Z' });
    }
    return key;
  }

  const ask = (categories: Record<string, number>) => ({
    sales: Object.entries(categories).map(([category, value]) => ({ category, annualSales: usd(value) })),
    perOccurrence: usd(100_000_000),
    aggregate: usd(200_000_000),
  });

  it('quotes from several providers with premiums from their tables, explains exclusions, and binds into a verified policy', async () => {
    await provider('net_alpha', 'Alpha Specialty', appetite());
    await provider(
      'net_beta',
      'Beta Casualty',
      appetite({ rating: { baseRatePer1000: { kitchen_appliances: 1.5, heating: 6 }, minimumPremium: 0 } }),
    );
    await provider('net_gamma', 'Gamma Mutual', appetite({ categories: { excluded: ['heating'] } }));
    const deltaKey = await provider('net_delta', 'Delta Re', appetite({ quoteBy: 'api' }));
    await provider('net_unvetted', 'Not Yet', appetite(), false);

    // Acme: one approved claim in its history, compliant (the fixture's verified policy).
    const paid = (await fileClaim(world, keys.dana, claimBody())).body;
    expect(paid.status).toBe('approved');
    const requested = await world.request('POST', '/v1/insurance/quote-requests', {
      key: keys.acme,
      body: ask({ kitchen_appliances: 40_000_000, heating: 10_000_000 }),
    });
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    const request = requested.body;
    expect(request).toMatchObject({
      claimsHistory: { claims: 1, paidAmount: usd(45_000), years: 3 },
      compliance: 'compliant',
      awaiting: ['net_delta'],
      declinedBy: [
        {
          insurerId: 'net_gamma',
          name: 'Gamma Mutual',
          rules: [{ rule: 'category_excluded', detail: 'does not insure heating' }],
        },
      ],
    });
    // Alpha: (400,000.00 × 2‰ + 100,000.00 × 5‰) × 1 (one claim) × 0.9 (compliant) = 1,170.00
    // Beta:  (400,000.00 × 1.5‰ + 100,000.00 × 6‰) × 1 × 1 = 1,200.00
    expect(
      request.quotes.map((q: { insurerId: string; premium: unknown }) => [q.insurerId, q.premium]),
    ).toEqual([
      ['net_alpha', usd(117_000)],
      ['net_beta', usd(120_000)],
    ]);
    expect(request.quotes[0]).toMatchObject({
      platformFee: usd(0),
      deductible: usd(250_000),
      perOccurrence: usd(100_000_000),
      exclusions: ['Punitive damages'],
      source: 'rating_table',
      status: 'offered',
    });

    const viaApi = await world.request('POST', `/v1/insurance/quote-requests/${request.id}/quotes`, {
      key: deltaKey,
      body: { premium: usd(99_000), deductible: usd(500_000), exclusions: ['Recalled products'] },
    });
    expect(viaApi.status).toBe(201);
    const sideBySide = (
      await world.request('GET', `/v1/insurance/quote-requests/${request.id}`, { key: keys.acme })
    ).body;
    expect(sideBySide.quotes.map((q: { insurerId: string }) => q.insurerId)).toEqual([
      'net_delta',
      'net_alpha',
      'net_beta',
    ]);
    expect(sideBySide.awaiting).toEqual([]);
    // A provider sees its own quote only.
    const deltaView = (
      await world.request('GET', `/v1/insurance/quote-requests/${request.id}`, { key: deltaKey })
    ).body;
    expect(deltaView.quotes.map((q: { insurerId: string }) => q.insurerId)).toEqual(['net_delta']);

    const beta = sideBySide.quotes.find((q: { insurerId: string }) => q.insurerId === 'net_beta');
    const bound = await world.request('POST', `/v1/insurance/quotes/${beta.id}/bind`, { key: keys.acme });
    expect(bound.body.status).toBe('bind_requested');
    const alpha = sideBySide.quotes.find((q: { insurerId: string }) => q.insurerId === 'net_alpha');
    expect(
      (await world.request('POST', `/v1/insurance/quotes/${alpha.id}/bind`, { key: keys.acme })).status,
    ).toBe(409);
    const betaKey = await world.key('insurer', 'net_beta');
    const confirmed = await world.request('POST', `/v1/insurance/quotes/${beta.id}/binding`, {
      key: betaKey,
      body: { action: 'confirm', policyNumber: 'BETA-PL-0001' },
    });
    expect(confirmed.body).toMatchObject({ status: 'bound', policyId: expect.stringMatching(/^ipol_/) });
    const policy = (
      await world.request('GET', `/v1/insurance-policies/${confirmed.body.policyId}`, { key: keys.acme })
    ).body;
    expect(policy).toMatchObject({
      status: 'verified',
      source: 'network',
      insurerId: 'net_beta',
      policyNumber: 'BETA-PL-0001',
      deductible: usd(250_000),
      effectiveFrom: '2026-11-16T15:00:00.000Z',
      expiresAt: '2027-11-16T15:00:00.000Z',
      shortfalls: [],
    });
    const after = (
      await world.request('GET', `/v1/insurance/quote-requests/${request.id}`, { key: keys.acme })
    ).body;
    expect(after.status).toBe('bound');
    expect(after.quotes.map((q: { insurerId: string; status: string }) => [q.insurerId, q.status])).toEqual([
      ['net_delta', 'not_taken'],
      ['net_alpha', 'not_taken'],
      ['net_beta', 'bound'],
    ]);
  });

  it('tells a seller that qualifies nowhere which appetite rule excluded it', async () => {
    await provider(
      'net_alpha',
      'Alpha Specialty',
      appetite({ categories: { accepted: ['kitchen_appliances'] } }),
    );
    await provider('net_beta', 'Beta Casualty', appetite({ annualSales: { min: 100_000_000 } }));
    const requested = await world.request('POST', '/v1/insurance/quote-requests', {
      key: keys.other,
      body: ask({ lighting: 2_000_000 }),
    });
    expect(requested.body.quotes).toEqual([]);
    expect(requested.body.declinedBy).toEqual([
      {
        insurerId: 'net_alpha',
        name: 'Alpha Specialty',
        rules: [{ rule: 'category_not_accepted', detail: 'insures only kitchen_appliances' }],
      },
      {
        insurerId: 'net_beta',
        name: 'Beta Casualty',
        rules: [
          { rule: 'category_not_rated', detail: 'has no rate for lighting' },
          { rule: 'sales_below_minimum', detail: 'needs annual sales of at least 100000000' },
        ],
      },
    ]);
  });

  it('lets only invited providers quote, before the deadline, and keeps appetites to their owners', async () => {
    const deltaKey = await provider('net_delta', 'Delta Re', appetite({ quoteBy: 'api' }));
    const alphaKey = await provider('net_alpha', 'Alpha Specialty', appetite());
    const request = (
      await world.request('POST', '/v1/insurance/quote-requests', {
        key: keys.acme,
        body: ask({ kitchen_appliances: 40_000_000 }),
      })
    ).body;
    const body = { premium: usd(50_000), deductible: usd(0) };
    const uninvited = await world.request('POST', `/v1/insurance/quote-requests/${request.id}/quotes`, {
      key: alphaKey,
      body,
    });
    expect(uninvited.status).toBe(404);
    const hijack = await world.request('PUT', '/v1/insurers/net_delta/appetite', {
      key: alphaKey,
      body: appetite(),
    });
    expect(hijack.status).toBe(404);
    await world.advance(3 * DAY);
    const late = await world.request('POST', `/v1/insurance/quote-requests/${request.id}/quotes`, {
      key: deltaKey,
      body,
    });
    expect(late.status).toBe(409);
    expect(await outboxTypes('insurance.quote_requested')).toHaveLength(1);
  });
});

describe('recovery and cover', () => {
  it('is waived only for cover in force on the incident date, not cover that began after it', async () => {
    await insurePolicy(world, 'slr_other', { effectiveFrom: '2026-11-12T00:00:00Z' });
    const filed = (await fileClaim(world, keys.dana, claimBody({ lineId: '5' }))).body;
    await world.work();
    const state = (await world.request('GET', `/v1/claims/${filed.id}`)).body;
    expect(state.recovery.status).toBe('pending');
    await world.advance(8 * DAY);
    expect((await world.request('GET', `/v1/claims/${filed.id}`)).body.recovery.status).toBe('invoiced');
  });
});
