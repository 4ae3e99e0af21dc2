import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fraudAssessor } from '../src/screening/fraud-assessor.ts';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

/**
 * Four real CPSC recalls, written by hand. Recall numbers, dates, firms and remedies are as
 * the CPSC published them; titles and hazard texts are shortened. The model numbers and UPCs
 * marked TEST are NOT from the notices: they exist only to exercise exact matching.
 */
const ROCK_N_PLAY = {
  recallNumber: '19-094',
  recallDate: '2019-04-12',
  title: 'Fisher-Price Recalls Rock ‘n Play Sleepers Due to Reports of Deaths',
  hazards: ['Infant fatalities after infants rolled over while unrestrained'],
  remedy: 'Stop using the sleeper immediately and contact Fisher-Price for a refund or voucher.',
  manufacturers: ['Fisher-Price'],
  brands: ['Fisher-Price'],
  productNames: ['Rock ‘n Play Sleeper'],
};
const MALM = {
  recallNumber: '16-221',
  recallDate: '2016-06-28',
  title: 'IKEA Recalls MALM and Other Models of Chests and Dressers Due to Serious Tip-Over Hazard',
  hazards: ['Chests and dressers can tip over if not anchored to the wall, trapping children'],
  remedy: 'Stop using unanchored chests and dressers; IKEA offers a refund or a free wall-anchoring kit.',
  manufacturers: ['IKEA North America Services, LLC'],
  brands: ['IKEA'],
  productNames: ['MALM chest of drawers'],
  modelNumbers: ['MALM-TEST-6'], // TEST
};
const NOTE7 = {
  recallNumber: '16-266',
  recallDate: '2016-09-15',
  title: 'Samsung Recalls Galaxy Note7 Smartphones Due to Serious Fire and Burn Hazards',
  hazards: ['The lithium-ion battery can overheat and catch fire'],
  remedy: 'Power down the phone and stop using it; Samsung offers a refund or a replacement phone.',
  manufacturers: ['Samsung Electronics America'],
  brands: ['Samsung'],
  productNames: ['Galaxy Note7'],
  upcs: ['0 12345 67890 5'], // TEST
};
const TREAD_PLUS = {
  recallNumber: '21-116',
  recallDate: '2021-05-05',
  title: 'Peloton Recalls Tread+ Treadmills After One Child Death and 70 Incidents',
  hazards: ['Adults, children, pets and objects can be pulled under the rear of the treadmill'],
  remedy: 'Stop using the treadmill and contact Peloton for a full refund.',
  manufacturers: ['Peloton Interactive Inc.'],
  brands: ['Peloton'],
  productNames: ['Tread+'],
};

const usd = (value: number) => ({ value, currency: 'USD' });
let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;

async function put(url: string, body: unknown) {
  const res = await world.request('PUT', url, { body });
  expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(200);
}

const importNdjson = (records: unknown[]) =>
  world.request('POST', '/v1/safety/public-recalls/import', {
    payload: records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n'),
    headers: { 'content-type': 'application/x-ndjson' },
  });

const matches = async (query = '') =>
  (await world.request('GET', `/v1/safety/public-recall-matches${query}`, { key: keys.agent })).body.data as {
    id: string;
    productId: string;
    method: string;
    score: number;
    matchedTerms: string[];
    status: string;
    recall: { recallNumber: string };
  }[];

/** The products of the test: some are recalled products, some only look like them. */
async function catalogue() {
  await put('/v1/products/prd_sleeper', {
    sellerId: 'slr_acme',
    title: 'Rock n Play Sleeper for infants',
    category: 'nursery',
    brand: 'Fisher-Price, Inc.',
  });
  await put('/v1/products/prd_lookalike', {
    sellerId: 'slr_other',
    title: 'Rock n Play Sleeper for infants',
    category: 'nursery',
    brand: 'Dreamland Baby Co',
  });
  await put('/v1/products/prd_malm', {
    sellerId: 'slr_acme',
    title: 'Six-drawer dresser, white',
    category: 'furniture',
    brand: 'IKEA',
    modelNumber: 'malm test 6',
  });
  await put('/v1/products/prd_same_model', {
    sellerId: 'slr_other',
    title: 'Six-drawer dresser, oak',
    category: 'furniture',
    brand: 'Northwood Furniture LLC',
    modelNumber: 'MALM-TEST-6',
  });
  await put('/v1/products/prd_phone', {
    sellerId: 'slr_acme',
    title: 'Smartphone 64 GB, black',
    category: 'phones',
    upc: '012345678905',
  });
}

describe('public recall notices', () => {
  // One world per file, emptied before each test (harness reset): a new world per test cost
  // a database and a server each time.
  beforeAll(async () => {
    world = await createWorld({ riskAssessor: fraudAssessor });
  });
  afterAll(() => world.close());
  beforeEach(async () => {
    await world.reset();
    keys = await usMarketplace(world);
    await catalogue();
  });

  it('imports NDJSON and reports each bad line with its line number, field and rule', async () => {
    const res = await importNdjson([
      ROCK_N_PLAY,
      { ...MALM, recallNumber: undefined },
      '{"recallNumber": "16-266", ',
      { ...NOTE7, recallDate: '15/09/2016' },
      TREAD_PLUS,
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ lines: 5, imported: 2, failed: 3 });
    expect(res.body.errors).toEqual([
      { line: 2, field: 'recallNumber', rule: expect.stringContaining('expected string') },
      { line: 3, field: '(line)', rule: expect.stringContaining('not valid JSON') },
      { line: 4, field: 'recallDate', rule: expect.stringContaining('date') },
    ]);
    const stored = await world.ctx.db.selectFrom('public_recalls').select('recall_number').execute();
    expect(stored.map((r) => r.recall_number).sort()).toEqual(['19-094', '21-116']);
  });

  it('imports CSV with ;-separated lists, and the CPSC web service’s nested records as NDJSON', async () => {
    const csv = [
      'recallNumber,recallDate,title,remedy,brands,manufacturers,modelNumbers,upcs',
      `16-221,2016-06-28,"${MALM.title}","${MALM.remedy}",IKEA,"IKEA North America Services, LLC",MALM-TEST-6;MALM-TEST-4,`,
      '16-266,not a date,"Samsung Recalls Galaxy Note7 Smartphones",,Samsung,,,',
      ',2021-05-05,no number,,Peloton,,,',
    ].join('\n');
    const res = await world.request('POST', '/v1/safety/public-recalls/import', {
      payload: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.body).toMatchObject({ lines: 3, imported: 1, failed: 2, productMatches: 1 });
    expect(res.body.errors).toEqual([
      { line: 3, field: 'recallDate', rule: expect.any(String) },
      { line: 4, field: 'recallNumber', rule: expect.any(String) },
    ]);
    const cpsc = await importNdjson([
      {
        RecallNumber: '19-094',
        RecallDate: '2019-04-12T00:00:00',
        Title: ROCK_N_PLAY.title,
        Description: '',
        Products: [{ Name: 'Rock ‘n Play Sleeper', Model: '' }],
        Manufacturers: [{ Name: 'Fisher-Price' }],
        Hazards: [{ Name: ROCK_N_PLAY.hazards[0] }],
        Remedies: [{ Name: ROCK_N_PLAY.remedy }],
        ProductUPCs: [],
      },
    ]);
    expect(cpsc.body).toMatchObject({ imported: 1, failed: 0, productMatches: 1 });
  });

  it('matches products by UPC, by model number and by brand and title, never across brands', async () => {
    const res = await importNdjson([ROCK_N_PLAY, MALM, NOTE7, TREAD_PLUS]);
    expect(res.body).toMatchObject({ imported: 4, productMatches: 3 });
    const byProduct = Object.fromEntries((await matches()).map((m) => [m.productId, m]));
    expect(Object.keys(byProduct).sort()).toEqual(['prd_malm', 'prd_phone', 'prd_sleeper']);
    expect(byProduct.prd_phone).toMatchObject({
      method: 'upc',
      score: 1,
      status: 'pending',
      recall: { recallNumber: '16-266' },
    });
    expect(byProduct.prd_malm).toMatchObject({ method: 'model_number', recall: { recallNumber: '16-221' } });
    expect(byProduct.prd_sleeper).toMatchObject({
      method: 'brand_title',
      score: 0.75,
      matchedTerms: ['brand fisher price', 'play', 'rock', 'sleeper'],
      recall: { recallNumber: '19-094' },
    });
    // Same title, other brand; same model number, other brand: neither is the recalled product.
    expect(byProduct.prd_lookalike).toBeUndefined();
    expect(byProduct.prd_same_model).toBeUndefined();
    // A re-import updates the notice and makes no second match.
    expect((await importNdjson([NOTE7])).body).toMatchObject({ imported: 1, productMatches: 0 });
    expect(await matches()).toHaveLength(3);
  });

  it('a claim on a matched product carries the recall: the claimant reads the remedy, risk is lower, a dispute needs evidence', async () => {
    await importNdjson([NOTE7, ROCK_N_PLAY]);
    await put('/v1/customers/cus_pat', {
      marketplaceId: 'mkt_us',
      name: 'Pat Lee',
      email: 'pat@example.com',
    });
    await put('/v1/orders/ord_phone', {
      marketplaceId: 'mkt_us',
      customerId: 'cus_pat',
      lines: [
        {
          lineId: '1',
          productId: 'prd_phone',
          sellerId: 'slr_acme',
          quantity: 1,
          unitPrice: usd(69_999),
          deliveredAt: '2026-11-02T15:00:00Z',
        },
        {
          lineId: '2',
          productId: 'prd_sleeper',
          sellerId: 'slr_acme',
          quantity: 1,
          unitPrice: usd(5_999),
          deliveredAt: '2026-11-02T15:00:00Z',
        },
      ],
    });
    const pat = await world.key('customer', 'cus_pat');
    const phoneClaim = (
      await fileClaim(
        world,
        pat,
        claimBody({
          orderId: 'ord_phone',
          lineId: '1',
          description: 'The phone got very hot while charging overnight and scorched the bedside table.',
          amount: usd(250_000),
        }),
      )
    ).body;
    expect(phoneClaim.status).toBe('awaiting_seller');
    const events = (await world.request('GET', `/v1/claims/${phoneClaim.id}/events`, { key: pat })).body.data;
    const matched = events.find((e: { type: string }) => e.type === 'claim.public_recall_matched');
    // The claimant reads the recall's own public words (number, title, remedy) as the event's data;
    // the free-text reason and the match's score and terms stay with staff (event catalogue).
    expect(matched.reason).toBeNull();
    expect(matched.data).toMatchObject({
      recallNumber: '16-266',
      title: expect.stringContaining('Galaxy Note7'),
      remedy: expect.stringMatching(/refund|replace/i),
    });
    expect(matched.data).not.toHaveProperty('matchedTerms');
    expect(matched.data).not.toHaveProperty('score');
    const asStaff = (await world.request('GET', `/v1/claims/${phoneClaim.id}`, { key: keys.agent })).body;
    expect(asStaff.risk.signals.map((s: { code: string }) => s.code)).toContain('product_public_recall');
    const defense = await world.request('POST', `/v1/claims/${phoneClaim.id}/seller-response`, {
      key: keys.acme,
      body: { action: 'dispute', defense: 'The customer used a third-party charger.' },
    });
    expect(defense.status).toBe(422);
    expect(defense.body.errors[0].field).toBe('body.evidenceIds');

    // A title-only match waits for a person: the claim is linked when the match is confirmed.
    const sleeperClaim = (
      await fileClaim(
        world,
        pat,
        claimBody({
          orderId: 'ord_phone',
          lineId: '2',
          type: 'personal_injury',
          description: 'My baby rolled over in the sleeper and could not breathe; we got her out in time.',
          amount: usd(2_000),
          damages: [{ kind: 'medical_bills', description: 'ER visit', amount: usd(2_000) }],
        }),
      )
    ).body;
    const sleeperEvents = async () =>
      (await world.request('GET', `/v1/claims/${sleeperClaim.id}/events`)).body.data.map(
        (e: { type: string }) => e.type,
      );
    expect(await sleeperEvents()).not.toContain('claim.public_recall_matched');
    const [pending] = await matches('?productId=prd_sleeper');
    const decided = await world.request('POST', `/v1/safety/public-recall-matches/${pending?.id}/decision`, {
      key: keys.agent,
      body: { decision: 'confirm', pauseListing: true },
    });
    expect(decided.status).toBe(200);
    expect(decided.body.status).toBe('confirmed');
    expect(await sleeperEvents()).toContain('claim.public_recall_matched');
    const record = (await world.request('GET', '/v1/products/prd_sleeper/safety', { key: keys.agent })).body;
    expect(record.listingStatus).toBe('paused');
    expect(record.publicRecalls).toEqual([
      expect.objectContaining({ recallNumber: '19-094', status: 'confirmed', method: 'brand_title' }),
    ]);
    const again = await world.request('POST', `/v1/safety/public-recall-matches/${pending?.id}/decision`, {
      key: keys.agent,
      body: { decision: 'reject', note: 'changed my mind' },
    });
    expect(again.status).toBe(409);
  });

  it('rejecting an exact match releases the claim it linked and leaves the safety record; parties cannot see the queue', async () => {
    await importNdjson([NOTE7]);
    await put('/v1/customers/cus_pat', {
      marketplaceId: 'mkt_us',
      name: 'Pat Lee',
      email: 'pat@example.com',
    });
    await put('/v1/orders/ord_phone', {
      marketplaceId: 'mkt_us',
      customerId: 'cus_pat',
      lines: [
        {
          lineId: '1',
          productId: 'prd_phone',
          sellerId: 'slr_acme',
          quantity: 1,
          unitPrice: usd(69_999),
          deliveredAt: '2026-11-02T15:00:00Z',
        },
      ],
    });
    const claim = (
      await fileClaim(
        world,
        await world.key('customer', 'cus_pat'),
        claimBody({
          orderId: 'ord_phone',
          lineId: '1',
          description: 'The phone overheated and melted its case.',
        }),
      )
    ).body;
    const carried = async () =>
      (
        await world.ctx.db
          .selectFrom('claims')
          .select('public_recall_id')
          .where('id', '=', claim.id)
          .executeTakeFirstOrThrow()
      ).public_recall_id;
    expect(await carried()).not.toBeNull();
    const [match] = await matches();
    expect((await world.request('GET', '/v1/safety/public-recall-matches', { key: keys.acme })).status).toBe(
      403,
    );
    const rejected = await world.request('POST', `/v1/safety/public-recall-matches/${match?.id}/decision`, {
      key: keys.agent,
      body: { decision: 'reject', note: 'Our phone shares the UPC by a data-entry error' },
    });
    expect(rejected.body.status).toBe('rejected');
    const record = (await world.request('GET', '/v1/products/prd_phone/safety', { key: keys.agent })).body;
    expect(record.publicRecalls).toEqual([]);
    expect(await carried()).toBeNull();
    const history = (await world.request('GET', `/v1/claims/${claim.id}/events`)).body.data;
    expect(history.map((e: { type: string }) => e.type)).toContain('claim.public_recall_unmatched');
  });
});
