import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimRow } from '../src/claims/store.ts';
import { fraudAssessor } from '../src/screening/fraud-assessor.ts';
import { labelOutcome } from '../src/screening/labels.ts';
import { claimBody, deliveredOrder, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { multipart, photo } from './support/uploads.ts';

let world: World;
let agent: string;
beforeAll(async () => {
  world = await createWorld({ riskAssessor: fraudAssessor });
  await usMarketplace(world);
  agent = await world.key('agent');
});
afterAll(() => world?.close());

let customers = 0;
async function approvedClaim() {
  const id = `cus_p${++customers}`;
  await world.request('PUT', `/v1/customers/${id}`, {
    body: {
      marketplaceId: 'mkt_us',
      name: `Customer ${id}`,
      email: `${id}@example.com`,
      accountCreatedAt: '2022-01-01T00:00:00Z',
    },
  });
  await deliveredOrder(world, `ord_p${customers}`, id);
  const key = await world.key('customer', id);
  const filed = (
    await fileClaim(
      world,
      key,
      claimBody({
        orderId: `ord_p${customers}`,
        description: `The kettle ${customers} boiled dry and scorched the worktop.`,
      }),
    )
  ).body;
  expect(filed.status).toBe('approved');
  return { id: filed.id as string, key };
}

const upload = (claimId: string, key: string, bytes: Buffer) =>
  world.request('POST', `/v1/claims/${claimId}/evidence?purpose=photo`, {
    key,
    ...multipart('photo.jpg', bytes, 'image/jpeg'),
  });

const range = () => {
  const now = world.clock.now().getTime();
  return `from=${new Date(now - 30 * 86_400_000).toISOString()}&to=${new Date(now + 86_400_000).toISOString()}`;
};

describe('GET /v1/screening/performance', () => {
  it('counts holds, releases, cancellations and the labels they wrote, per signal and per week', async () => {
    const original = await photo(90);
    const owner = await approvedClaim();
    expect((await upload(owner.id, owner.key, original)).status).toBe(201);
    const copy = await sharp(original).resize(128, 128).jpeg({ quality: 70 }).toBuffer();
    const [cancelled, released] = [await approvedClaim(), await approvedClaim()];
    for (const c of [cancelled, released]) expect((await upload(c.id, c.key, copy)).status).toBe(201);
    const decide = (claimId: string, body: unknown) =>
      world.request('POST', `/v1/claims/${claimId}/payout-hold`, { key: agent, body });
    expect((await decide(cancelled.id, { action: 'cancel', reason: 'abusive' })).status).toBe(200);
    expect(
      (await decide(released.id, { action: 'release', reason: 'The claimant photographed both kettles' }))
        .status,
    ).toBe(200);

    const answer = await world.request('GET', `/v1/screening/performance?${range()}&marketplaceId=mkt_us`, {
      key: agent,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.totals).toEqual({
      held: 2,
      released: 1,
      cancelled: 1,
      confirmedAbusive: 1,
      falseAlarms: 1,
    });
    const photoSignal = answer.body.bySignal.find(
      (s: { code: string }) => s.code === 'similar_photo_elsewhere',
    );
    expect(photoSignal).toEqual({
      code: 'similar_photo_elsewhere',
      labelled: 2,
      confirmedAbusive: 1,
      falseAlarms: 1,
      precision: 0.5,
    });
    expect(answer.body.byWeek).toHaveLength(1);
    expect(answer.body.byWeek[0].bySignal.similar_photo_elsewhere).toEqual({
      confirmedAbusive: 1,
      falseAlarms: 1,
    });

    // Another marketplace's screen is another report.
    const other = await world.request(
      'GET',
      `/v1/screening/performance?${range()}&marketplaceId=mkt_elsewhere`,
      { key: agent },
    );
    expect(other.body.totals).toEqual({
      held: 0,
      released: 0,
      cancelled: 0,
      confirmedAbusive: 0,
      falseAlarms: 0,
    });
  });

  it('is staff-only and names a backwards range', async () => {
    const customer = await approvedClaim();
    expect(
      (await world.request('GET', `/v1/screening/performance?${range()}`, { key: customer.key })).status,
    ).toBe(403);
    const now = world.clock.now().toISOString();
    const backwards = await world.request(
      'GET',
      `/v1/screening/performance?from=${now}&to=2020-01-01T00:00:00Z`,
      { key: agent },
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].field).toBe('querystring.from');
  });
});

describe('POST /v1/screening/fit', () => {
  it('refuses agents, and a marketplace with too few labels, naming the field', async () => {
    const byAgent = await world.request('POST', '/v1/screening/fit', {
      key: agent,
      body: { marketplaceId: 'mkt_us' },
    });
    expect(byAgent.status).toBe(403);
    const few = await world.request('POST', '/v1/screening/fit', { body: { marketplaceId: 'mkt_us' } });
    expect(few.status).toBe(422);
    expect(few.body.errors[0]).toEqual({
      field: 'body.marketplaceId',
      rule: expect.stringContaining('at least 20'),
    });
    const unknown = await world.request('POST', '/v1/screening/fit', {
      body: { marketplaceId: 'mkt_nowhere' },
    });
    expect(unknown.status).toBe(422);
  });

  it('fits on labelled claims, scores before and after on the held-back fifth, and writes a policy version when asked', async () => {
    // Thirty decided claims: the linked ones abusive, the others valid (labels as decisions write them).
    for (let i = 0; i < 30; i++) {
      const { id } = await approvedClaim();
      const row = (await world.ctx.db
        .selectFrom('claims')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()) as ClaimRow;
      const abusive = i % 3 === 0;
      const signals = abusive ? [{ code: 'linked_claimants', reason: 'shares a device', weight: 2 }] : [];
      await labelOutcome(
        world.ctx.db,
        { ...row, risk: { score: 0.1, signals, hardRule: null, outcome: 'pass' } } as ClaimRow,
        {
          fraudulent: abusive,
          source: 'agent',
          at: world.clock.now(),
        },
      );
    }
    const dry = await world.request('POST', '/v1/screening/fit', { body: { marketplaceId: 'mkt_us' } });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.trainedOn + dry.body.heldBack).toBe(dry.body.labelled);
    expect(dry.body.heldBack).toBeGreaterThan(0);
    expect(dry.body.before.examples).toBe(dry.body.heldBack);
    expect(dry.body.after.examples).toBe(dry.body.heldBack);
    // The labels say a linked claimant is abusive: the fitted weight says so more than the default 2.0.
    expect(dry.body.model.weights.linked_claimants).toBeGreaterThan(2);
    expect(dry.body.writtenPolicyVersion).toBeNull();

    const applied = await world.request('POST', '/v1/screening/fit', {
      body: { marketplaceId: 'mkt_us', apply: true },
    });
    expect(applied.status).toBe(200);
    const versions = await world.ctx.db
      .selectFrom('policy_versions')
      .select(['version', 'policy'])
      .where('marketplace_id', '=', 'mkt_us')
      .orderBy('version', 'desc')
      .execute();
    expect(applied.body.writtenPolicyVersion).toBe(versions[0]?.version);
    const written = versions[0]?.policy as { fraud: { weights: Record<string, number> } } | undefined;
    expect(written?.fraud.weights.linked_claimants).toBe(applied.body.model.weights.linked_claimants);
  }, 300_000); // thirty filings: a minute alone on a shared machine
});
