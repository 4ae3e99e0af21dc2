import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fraudAssessor } from '../src/screening/fraud-assessor.ts';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;

const usd = (value: number) => ({ value, currency: 'USD' });
const HOUR = 3_600;

async function put(url: string, body: unknown) {
  const res = await world.request('PUT', url, { body });
  expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(200);
}

/** A new customer with a delivered order of `units` of a product; returns the customer's key. */
async function buyer(n: number, productId: string, sellerId: string, units = 1): Promise<string> {
  await put(`/v1/customers/cus_b${n}`, {
    marketplaceId: 'mkt_us',
    name: `Buyer ${n}`,
    email: `b${n}@example.com`,
  });
  await put(`/v1/orders/ord_b${n}`, {
    marketplaceId: 'mkt_us',
    customerId: `cus_b${n}`,
    lines: [
      {
        lineId: '1',
        productId,
        sellerId,
        quantity: units,
        unitPrice: usd(12_999),
        deliveredAt: '2026-11-02T15:00:00Z',
      },
    ],
  });
  return world.key('customer', `cus_b${n}`);
}

const heaterClaim = (n: number, description: string, type = 'personal_injury') =>
  claimBody({
    orderId: `ord_b${n}`,
    lineId: '1',
    type,
    description,
    amount: usd(30_000),
    damages: [
      {
        kind: type === 'personal_injury' ? 'medical_bills' : 'property_damage',
        description: 'Costs',
        amount: usd(30_000),
      },
    ],
  });

const alerts = async (query = '') =>
  (await world.request('GET', `/v1/safety/alerts${query}`, { key: keys.agent })).body.data;

async function outbox(type: string) {
  return world.ctx.db.selectFrom('outbox').selectAll().where('event_type', '=', type).orderBy('id').execute();
}

describe('product safety', () => {
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

  it('classifies each claim with the words that decided it, visible to staff only', async () => {
    const key = await buyer(1, 'prd_heater', 'slr_acme');
    const filed = (
      await fileClaim(world, key, heaterClaim(1, 'The heater overheated and burned my hand badly.'))
    ).body;
    const history = (await world.request('GET', `/v1/claims/${filed.id}/events`)).body.data;
    const classified = history.find((e: { type: string }) => e.type === 'claim.hazard_classified');
    expect(classified.data).toMatchObject({
      hazard: 'fire_burn',
      severity: 'medical_treatment',
      terms: { hazard: ['burned', 'overheated'], severity: ['(medical bills claimed)'] },
    });
    const seen = (await world.request('GET', `/v1/claims/${filed.id}/events`, { key })).body.data;
    expect(seen.map((e: { type: string }) => e.type)).not.toContain('claim.hazard_classified');
  });

  it('raises an injury-cluster alert exactly at the third injury of one hazard, and joins later claims to it', async () => {
    for (let n = 1; n <= 4; n++) await buyer(n, 'prd_heater', 'slr_acme');
    const file = async (n: number) =>
      fileClaim(
        world,
        await world.key('customer', `cus_b${n}`),
        heaterClaim(n, `The heater casing got so hot it burned customer ${n}.`),
      );
    await file(1);
    await file(2);
    expect(await alerts()).toEqual([]);
    const third = (await file(3)).body;
    const [alert] = await alerts();
    expect(alert).toMatchObject({
      productId: 'prd_heater',
      hazard: 'fire_burn',
      rule: 'injury_cluster',
      status: 'open',
      reportable: true,
      evidence: { measure: { claims: 3, threshold: 3, windowDays: 30 } },
    });
    expect(alert.evidence.claimIds).toHaveLength(3);
    expect(alert.evidence.claimIds).toContain(third.id);
    await file(4);
    const after = await alerts();
    expect(after).toHaveLength(1);
    expect(after[0].evidence.claimIds).toHaveLength(4);
    expect(await outbox('safety.alert_raised')).toHaveLength(1);
    expect(await outbox('safety.alert_updated')).toHaveLength(1);
  });

  it('does not cluster property damage, nor injuries outside the window', async () => {
    for (let n = 1; n <= 3; n++) await buyer(n, 'prd_heater', 'slr_acme');
    await fileClaim(
      world,
      await world.key('customer', 'cus_b1'),
      heaterClaim(1, 'The heater burned my arm.'),
    );
    await world.advance(31 * 86_400);
    for (const n of [2, 3]) {
      await fileClaim(
        world,
        await world.key('customer', `cus_b${n}`),
        heaterClaim(n, 'The heater burned my arm.', n === 3 ? 'property_damage' : 'personal_injury'),
      );
    }
    expect(await alerts()).toEqual([]);
  });

  it('raises a rate alert when claims per 10,000 units pass the category baseline, not before', async () => {
    // The rest of the kitchen category: 5,000 toasters sold without a fire claim.
    await put('/v1/products/prd_toaster', {
      sellerId: 'slr_other',
      title: 'Toaster',
      category: 'kitchen_appliances',
    });
    await buyer(9, 'prd_toaster', 'slr_other', 5_000);
    for (let n = 1; n <= 3; n++) await buyer(n, 'prd_kettle', 'slr_acme');
    const file = async (n: number) =>
      fileClaim(
        world,
        await world.key('customer', `cus_b${n}`),
        claimBody({
          orderId: `ord_b${n}`,
          lineId: '1',
          description: 'The kettle base overheated and scorched the worktop.',
          amount: usd(20_000),
          damages: [{ kind: 'property_damage', description: 'Worktop', amount: usd(20_000) }],
        }),
      );
    await file(1);
    await file(2);
    expect(await alerts()).toEqual([]);
    await file(3);
    const [alert] = await alerts();
    // The kettle: 3 claims on 4 units sold (3 buyers and Dana's order) = 7,500 per 10,000.
    expect(alert).toMatchObject({
      rule: 'rate_above_baseline',
      hazard: 'fire_burn',
      reportable: false,
      evidence: { measure: { ratePer10k: 7_500, baselinePer10k: 0, claims: 3, units: 4 } },
    });
    const record = (await world.request('GET', '/v1/products/prd_kettle/safety', { key: keys.acme })).body;
    expect(record).toMatchObject({
      unitsSold: 4,
      claims: 3,
      listingStatus: 'active',
      byHazard: [
        {
          hazard: 'fire_burn',
          claims: 3,
          bySeverity: { property_damage: 3, injury: 0, medical_treatment: 0, hospitalisation: 0, death: 0 },
          ratePer10k: 7_500,
          categoryBaselinePer10k: 0,
        },
      ],
      byMonth: [{ month: '2026-11', hazard: 'fire_burn', claims: 3 }],
      alerts: [{ rule: 'rate_above_baseline', status: 'open' }],
      recall: null,
    });
    expect((await world.request('GET', '/v1/products/prd_kettle/safety', { key: keys.other })).status).toBe(
      404,
    );
  });

  it('raises no severe alert on an imagined death; a person codes the claim from the queue, and only then is it checked', async () => {
    const key = await buyer(1, 'prd_heater', 'slr_acme');
    const filed = (
      await fileClaim(
        world,
        key,
        heaterClaim(1, 'The heater overheated and burned my son’s hand. It could have KILLED MY TODDLER.'),
      )
    ).body;
    expect(await alerts()).toEqual([]);

    const queue = await world.request('GET', '/v1/safety/hazard-coding', { key: keys.agent });
    expect(queue.status).toBe(200);
    expect(queue.body.data).toEqual([
      expect.objectContaining({
        claimId: filed.id,
        hazard: 'fire_burn',
        severity: 'medical_treatment',
        reviewReasons: ['unasserted_severe_mention'],
        reviewStatus: 'pending',
        terms: expect.objectContaining({ unasserted: ['killed (hypothetical)'] }),
      }),
    ]);
    expect((await world.request('GET', '/v1/safety/hazard-coding', { key })).status).toBe(403);
    const byCustomer = await world.request('POST', `/v1/safety/hazard-coding/${filed.id}`, {
      key,
      body: { hazard: 'fire_burn', severity: 'injury' },
    });
    expect(byCustomer.status).toBe(403);
    const bad = await world.request('POST', `/v1/safety/hazard-coding/${filed.id}`, {
      key: keys.agent,
      body: { hazard: 'fire_burn', severity: 'terrible' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toContain('severity');

    // The agent reads that the child was in fact admitted: the coding overrides the machine.
    const coded = await world.request('POST', `/v1/safety/hazard-coding/${filed.id}`, {
      key: keys.agent,
      body: { hazard: 'fire_burn', severity: 'hospitalisation', note: 'Mother confirmed a two-night stay' },
    });
    expect(coded.status).toBe(200);
    expect(coded.body).toMatchObject({
      reviewStatus: 'coded',
      severity: 'hospitalisation',
      machine: { hazard: 'fire_burn', severity: 'medical_treatment' },
    });
    const [alert] = await alerts();
    expect(alert).toMatchObject({ rule: 'severe_incident', hazard: 'fire_burn' });
    expect((await world.request('GET', '/v1/safety/hazard-coding', { key: keys.agent })).body.data).toEqual(
      [],
    );
    const history = (await world.request('GET', `/v1/claims/${filed.id}/events`)).body.data;
    expect(history.map((e: { type: string }) => e.type)).toContain('claim.hazard_coded');
  });

  it('raises no severe alert on an injury that only suggests a hospital stay: it waits for a person as a severe-candidate', async () => {
    const key = await buyer(1, 'prd_heater', 'slr_acme');
    const filed = (
      await fileClaim(
        world,
        key,
        heaterClaim(
          1,
          'My 81-year-old mother tripped over the heater cord and fell. The ER found a subdural hematoma.',
        ),
      )
    ).body;
    expect(await alerts()).toEqual([]);
    const queue = (await world.request('GET', '/v1/safety/hazard-coding', { key: keys.agent })).body.data;
    expect(queue).toEqual([
      expect.objectContaining({
        claimId: filed.id,
        severity: 'medical_treatment',
        reviewReasons: expect.arrayContaining(['likely_severe_injury']),
        terms: expect.objectContaining({ likelySevere: ['subdural hematoma'] }),
      }),
    ]);
    const history = (await world.request('GET', `/v1/claims/${filed.id}/events`)).body.data;
    const classified = history.find((e: { type: string }) => e.type === 'claim.hazard_classified');
    expect(classified.data).toMatchObject({ severity: 'medical_treatment', severeCandidate: true });
  });

  it('raises one alert for a single hospitalisation and starts the 24-hour regulator report', async () => {
    const key = await buyer(1, 'prd_heater', 'slr_acme');
    await fileClaim(
      world,
      key,
      heaterClaim(
        1,
        'The heater tipped over and set my skirt on fire; I was admitted to the burn unit for three days.',
      ),
    );
    const [alert] = await alerts();
    expect(alert).toMatchObject({ rule: 'severe_incident', hazard: 'fire_burn', reportable: true });
    const report = (await world.request('GET', `/v1/safety/reports/${alert.reportId}`, { key: keys.agent }))
      .body;
    expect(report).toMatchObject({
      regulator: 'CPSC',
      status: 'due',
      hoursLeft: 24,
      deadline: {
        at: '2026-11-17T15:00:00.000Z',
        local: '2026-11-17T10:00:00-05:00',
        timeZone: 'America/New_York',
      },
      draft: {
        hazard: 'fire_burn',
        product: { id: 'prd_heater', title: 'Space heater' },
        seller: { id: 'slr_acme', name: 'Acme Home' },
        unitsSold: 4,
        incidents: [{ type: 'personal_injury', severity: 4 }],
      },
    });
    expect(JSON.stringify(report.draft)).not.toContain('Buyer 1');
    const pdf = await world.request('GET', `/v1/safety/reports/${alert.reportId}/pdf`, { key: keys.agent });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(String(pdf.body).startsWith('%PDF-')).toBe(true);

    await world.advance(23 * HOUR);
    expect((await world.request('GET', `/v1/safety/reports/${alert.reportId}`)).body).toMatchObject({
      status: 'due',
      hoursLeft: 1,
    });
    await world.advance(HOUR);
    expect((await world.request('GET', `/v1/safety/reports/${alert.reportId}`)).body.status).toBe('overdue');
    expect(await outbox('safety.report_overdue')).toHaveLength(1);
    const submitted = await world.request('POST', `/v1/safety/reports/${alert.reportId}/submission`, {
      key: keys.agent,
      body: { reference: 'CPSC-2026-000123' },
    });
    expect(submitted.body).toMatchObject({
      status: 'submitted',
      submissionReference: 'CPSC-2026-000123',
      hoursLeft: null,
    });
  });

  it('pauses a listing from an alert, telling the marketplace and the seller', async () => {
    const key = await buyer(1, 'prd_heater', 'slr_acme');
    await fileClaim(world, key, heaterClaim(1, 'My son was hospitalised after the heater burned him.'));
    const [alert] = await alerts();
    const dismissTooShort = await world.request('POST', `/v1/safety/alerts/${alert.id}/triage`, {
      key: keys.agent,
      body: { action: 'dismiss', reason: 'no' },
    });
    expect(dismissTooShort.status).toBe(400);
    const paused = await world.request('POST', `/v1/safety/alerts/${alert.id}/triage`, {
      key: keys.agent,
      body: { action: 'pause_listing', note: 'Pending the seller’s investigation.' },
    });
    expect(paused.body).toMatchObject({
      status: 'listing_paused',
      triageNote: 'Pending the seller’s investigation.',
    });
    expect((await world.request('GET', '/v1/products/prd_heater/safety')).body.listingStatus).toBe('paused');
    const [event] = await outbox('safety.listing_paused');
    expect(event?.payload).toMatchObject({ productId: 'prd_heater', sellerId: 'slr_acme' });
    const again = await world.request('POST', `/v1/safety/alerts/${alert.id}/triage`, {
      key: keys.agent,
      body: { action: 'monitor' },
    });
    expect(again.status).toBe(409);
  });

  it('recalls a product: every buyer notified exactly once even when the recall is posted twice, claims linked, progress tracked', async () => {
    for (let n = 1; n <= 3; n++) await buyer(n, 'prd_heater', 'slr_acme', n);
    const earlier = (
      await fileClaim(world, keys.eli, claimBody({ orderId: 'ord_2', lineId: '1', amount: usd(300_000) }))
    ).body;
    expect(earlier.status).toBe('awaiting_seller');
    const recallBody = {
      hazard: 'fire_burn',
      remedy: 'refund',
      unitsAffected: 9,
      description:
        'The tip-over switch can fail, so the heater keeps heating on its side and can ignite the floor.',
    };
    const post = (idempotencyKey: string) =>
      world.request('POST', '/v1/products/prd_heater/recalls', {
        key: keys.agent,
        body: recallBody,
        headers: { 'idempotency-key': idempotencyKey },
      });
    const opened = await post('recall-heater-0001');
    expect(opened.status).toBe(201);
    // Buyers of the heater: Dana (order 1), Eli (order 2) and the three new buyers.
    expect(opened.body).toMatchObject({
      status: 'open',
      progress: { notified: 5, responded: 0, remedied: 0 },
    });
    expect((await post('recall-heater-0001')).body).toEqual(opened.body);
    const twice = await post('recall-heater-0002');
    expect(twice.status).toBe(409);
    expect(twice.body.recallId).toBe(opened.body.id);
    const notices = await outbox('safety.recall_notice');
    expect(notices.map((n) => (n.payload as { customerId: string }).customerId).sort()).toEqual([
      'cus_b1',
      'cus_b2',
      'cus_b3',
      'cus_dana',
      'cus_eli',
    ]);
    await world.work();
    const mails = await world.ctx.db
      .selectFrom('mail_deliveries')
      .select(['recipient_id'])
      .where('template', '=', 'recall_notice')
      .execute();
    expect(mails).toHaveLength(5);

    // Claims on the product carry the recall: the earlier one linked, a new one at filing.
    const linked = (await world.request('GET', `/v1/claims/${earlier.id}`)).body;
    expect(linked.recallId).toBe(opened.body.id);
    const defense = await world.request('POST', `/v1/claims/${earlier.id}/seller-response`, {
      key: keys.acme,
      body: { action: 'dispute', defense: 'The customer misused the heater by drying clothes on it.' },
    });
    expect(defense.status).toBe(422);
    expect(defense.body.errors).toEqual([
      {
        field: 'body.evidenceIds',
        rule: `the product is under recall ${opened.body.id}: a defense must come with evidence`,
      },
    ]);
    const later = (
      await fileClaim(world, await world.key('customer', 'cus_b2'), heaterClaim(2, 'It burned my hand.'))
    ).body;
    expect(later.recallId).toBe(opened.body.id);

    // Progress: a buyer answers, an agent records the remedy; the CSV says so.
    const answered = await world.request('POST', `/v1/recalls/${opened.body.id}/response`, {
      key: await world.key('customer', 'cus_b1'),
      body: { response: 'I still have it and want the refund.' },
    });
    expect(answered.body).toMatchObject({ status: 'responded', units: 1 });
    await world.request('POST', `/v1/recalls/${opened.body.id}/notices/cus_b1/remedied`, { key: keys.agent });
    const progress = (await world.request('GET', `/v1/recalls/${opened.body.id}`, { key: keys.acme })).body
      .progress;
    expect(progress).toEqual({ notified: 5, responded: 1, remedied: 1, unitsRemedied: 1 });
    const csv = await world.request('GET', `/v1/recalls/${opened.body.id}/notices.csv`, { key: keys.agent });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = String(csv.body).trim().split('\n');
    expect(lines[0]).toBe('recall_id,customer_id,units,status,notified_at,responded_at,remedied_at,response');
    expect(lines).toHaveLength(6);
    expect(lines.find((l) => l.includes('cus_b1'))).toContain('remedied');
    // Who may see it: the buyer told of it, not another customer; the seller, not another seller.
    expect(
      (await world.request('GET', '/v1/recalls', { key: await world.key('customer', 'cus_b3') })).body.data,
    ).toHaveLength(1);
    expect((await world.request('GET', `/v1/recalls/${opened.body.id}`, { key: keys.other })).status).toBe(
      404,
    );
  });

  it('flags a suspected counterfeit for brand protection', async () => {
    const key = await buyer(1, 'prd_heater', 'slr_acme');
    await fileClaim(
      world,
      key,
      heaterClaim(
        1,
        'This is a knock-off: the brand name on it is misspelled and it has no UL mark. It sparked and burned me.',
      ),
    );
    const record = (await world.request('GET', '/v1/products/prd_heater/safety')).body;
    expect(record.counterfeitFlaggedAt).toBe('2026-11-16T15:00:00.000Z');
    const [event] = await outbox('safety.counterfeit_suspected');
    expect(event?.payload).toMatchObject({
      productId: 'prd_heater',
      data: { terms: ['knock-off', 'misspelled', 'no ul mark'] },
    });
  });
});

describe('a safety cluster and fraud screening', () => {
  beforeAll(async () => {
    world = await createWorld({ riskAssessor: fraudAssessor });
  });
  afterAll(() => world.close());
  beforeEach(async () => {
    await world.reset();
    keys = await usMarketplace(world);
  });

  it('lowers the fraud risk of honest claims that fit a live alert on their product', async () => {
    for (let n = 1; n <= 4; n++) await buyer(n, 'prd_heater', 'slr_acme');
    const scores: number[] = [];
    const signals: string[][] = [];
    const narratives = [
      'The heater scorched my leg when I walked past it.',
      'My daughter touched the grille and got a burn on her palm.',
      'The heater overheated and the hot casing burned my wrist.',
      'Burned my fingers on the heater controls after an hour of use.',
    ];
    for (let n = 1; n <= 4; n++) {
      const filed = (
        await fileClaim(
          world,
          await world.key('customer', `cus_b${n}`),
          heaterClaim(n, narratives[n - 1] as string),
        )
      ).body;
      const risk = (await world.request('GET', `/v1/claims/${filed.id}`, { key: keys.agent })).body.risk;
      scores.push(risk.score);
      signals.push(risk.signals.map((s: { code: string }) => s.code));
    }
    expect(signals[1]).not.toContain('product_safety_alert');
    expect(signals[2]).toContain('product_safety_alert');
    expect(signals[3]).toContain('product_safety_alert');
    expect(scores[3]).toBeLessThan(scores[1] as number);
    const alertSignal = (
      await world.ctx.db
        .selectFrom('claims')
        .select('risk')
        .orderBy('filed_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow()
    ).risk as { signals: { code: string; weight: number }[] };
    expect(alertSignal.signals.find((s) => s.code === 'product_safety_alert')?.weight).toBeLessThan(0);
  });
});
