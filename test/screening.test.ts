import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findClaim } from '../src/claims/store.ts';
import { fraudAssessor } from '../src/screening/fraud-assessor.ts';
import { indexAndFindRetellings } from '../src/screening/narrative-index-store.ts';
import { claimBody, deliveredOrder, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { photo } from './support/uploads.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
let expertKey: string;
// One world per file, emptied before each test (harness reset): a new world per test cost
// a database and a server each time.
beforeAll(async () => {
  world = await createWorld({ riskAssessor: fraudAssessor });
});
afterAll(() => world.close());
beforeEach(async () => {
  await world.reset();
  keys = await usMarketplace(world);
  await world.request('PUT', '/v1/experts/exp_lee', {
    body: { marketplaceId: 'mkt_us', organisation: 'Veritas Investigations', name: 'J. Lee' },
  });
  expertKey = await world.key('expert', 'exp_lee');
});

let orderCounter = 0;
/** A customer with one delivered kettle order; returns its key and order id. */
async function customerWithOrder(id: string, extra: Record<string, unknown> = {}) {
  await world.request('PUT', `/v1/customers/${id}`, {
    body: {
      marketplaceId: 'mkt_us',
      name: `Customer ${id}`,
      email: `${id}@example.com`,
      accountCreatedAt: '2022-01-01T00:00:00Z',
      ...extra,
    },
  });
  const orderId = `ord_s${++orderCounter}`;
  await deliveredOrder(world, orderId, id);
  return { key: await world.key('customer', id), orderId };
}

/** A seller of a kettle like this marketplace's, reachable at +1 212 555 0142. */
async function rivalSeller() {
  await world.request('PUT', '/v1/sellers/slr_rival', {
    body: {
      marketplaceId: 'mkt_us',
      name: 'Rival Kettles',
      standing: 'good',
      contact: { email: 'owner@rival.example', phone: '+1 212 555 0142' },
    },
  });
  await world.request('PUT', '/v1/products/prd_rival_kettle', {
    body: { sellerId: 'slr_rival', title: 'Rival kettle', category: 'kitchen_appliances' },
  });
}

/** A signal's evidence as the stored assessment keeps it (staff only; the API shows the reason). */
async function storedEvidence(claimId: string, code: string) {
  const stored = await world.ctx.db
    .selectFrom('claims')
    .select('risk')
    .where('id', '=', claimId)
    .executeTakeFirstOrThrow();
  return (stored.risk as { signals: { code: string; evidence?: unknown }[] }).signals.find(
    (s) => s.code === code,
  )?.evidence;
}

const signalCodes = async (claimId: string) =>
  ((await world.request('GET', `/v1/claims/${claimId}`)).body.risk?.signals ?? []).map(
    (s: { code: string }) => s.code,
  );

function upload(claimId: string, key: string, bytes: Buffer, name = 'photo.png', type = 'image/png') {
  const boundary = 'screening-boundary';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return world.request('POST', `/v1/claims/${claimId}/evidence?purpose=photo`, {
    key,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

describe('screening with fraud signals', () => {
  it('passes an honest claim with no signals and a low score', async () => {
    const filed = (await fileClaim(world, keys.dana, claimBody())).body;
    expect(filed.status).toBe('approved');
    const staff = (await world.request('GET', `/v1/claims/${filed.id}`)).body;
    expect(staff.risk.signals).toEqual([]);
    expect(staff.risk.score).toBeLessThan(0.1);
  });

  it('sends a claim ring to an expert, who sees minimised data, and whose finding denies it', async () => {
    const shared = { identity: { phone: '+1 (518) 555-0199' } };
    for (const id of ['cus_r1', 'cus_r2', 'cus_r3']) {
      const member = await customerWithOrder(id, shared);
      await fileClaim(
        world,
        member.key,
        claimBody({
          orderId: member.orderId,
          description: `Kettle leaked, claim by ${id}, scalded counter top.`,
        }),
      );
    }
    const fourth = await customerWithOrder('cus_r4', {
      identity: { phone: '+15185550199', address: '9 Ring Road, Troy NY' },
      birthYear: 1990,
      region: 'US-NY',
    });
    const filed = (await fileClaim(world, fourth.key, claimBody({ orderId: fourth.orderId }))).body;
    expect(filed.status).toBe('under_review'); // the claimant is never told it was referred
    const staff = (await world.request('GET', `/v1/claims/${filed.id}`)).body;
    expect(staff.status).toBe('expert_review');
    expect(staff.risk.hardRule).toBe('claim_ring');
    expect(staff.risk.signals.map((s: { code: string }) => s.code)).toContain('linked_claimants');

    const list = await world.request('GET', '/v1/referrals', { key: expertKey });
    const referral = list.body.data.find((r: { claim: { id: string } }) => r.claim.id === filed.id);
    expect(referral).toBeDefined();
    const seen = (await world.request('GET', `/v1/referrals/${referral.id}`, { key: expertKey })).body;
    // Data minimisation, field by field: what an expert gets about the claimant and nothing more.
    expect(Object.keys(seen.claim).sort()).toEqual(
      [
        'amount',
        'claimant',
        'damages',
        'description',
        'evidence',
        'filedAt',
        'id',
        'incidentAt',
        'product',
        'risk',
        'status',
        'type',
      ].sort(),
    );
    expect(seen.claim.claimant).toEqual({
      ageBand: '30–39',
      region: 'US-NY',
      accountAge: '1–5 years',
      claimsInPastYear: 0,
    });
    const text = JSON.stringify(seen);
    for (const secret of [
      'cus_r4',
      'Customer cus_r4',
      'cus_r4@example.com',
      '555',
      'Ring Road',
      'ord_s',
      'slr_acme',
    ]) {
      expect(text).not.toContain(secret);
    }

    const other = await world.key('expert', 'exp_other');
    expect((await world.request('GET', `/v1/referrals/${referral.id}`, { key: other })).status).toBe(404);
    expect((await world.request('GET', `/v1/claims/${filed.id}`, { key: expertKey })).status).toBe(403);

    const found = await world.request('POST', `/v1/referrals/${referral.id}/findings`, {
      key: expertKey,
      body: {
        verdict: 'abusive',
        notes: 'Four linked accounts with one phone, same story.',
        confidence: 0.85,
      },
    });
    expect(found.status).toBe(200);
    const denied = (await world.request('GET', `/v1/claims/${filed.id}`)).body;
    expect(denied).toMatchObject({ status: 'denied', denialReason: 'abusive' });
    expect(denied.deadlines.appeal).not.toBeNull();
    const history = (await world.request('GET', `/v1/claims/${filed.id}/events`)).body.data.map(
      (e: { type: string }) => e.type,
    );
    expect(history).toEqual(
      expect.arrayContaining([
        'claim.referred_to_expert',
        'claim.viewed_by_expert',
        'claim.expert_findings',
        'claim.denied',
      ]),
    );
    const label = await world.ctx.db
      .selectFrom('screening_labels')
      .selectAll()
      .where('claim_id', '=', filed.id)
      .executeTakeFirst();
    expect(label).toMatchObject({ fraudulent: true, source: 'expert' });
  });

  it('lets an agent refer a claim, and a valid finding sends it back to the seller with a fresh deadline', async () => {
    const member = await customerWithOrder('cus_v1');
    const filed = (
      await fileClaim(
        world,
        member.key,
        claimBody({
          orderId: member.orderId,
          type: 'personal_injury',
          amount: { value: 250_000, currency: 'USD' },
        }),
      )
    ).body;
    expect(filed.status).toBe('awaiting_seller');
    await world.advance(86_400);
    const referred = await world.request('POST', `/v1/claims/${filed.id}/referrals`, {
      key: keys.agent,
      body: { reason: 'spot check' },
    });
    expect(referred.status).toBe(201);
    expect((await world.request('GET', `/v1/claims/${filed.id}`)).body.status).toBe('expert_review');
    await world.advance(2 * 86_400); // the old seller deadline passes while the expert looks: no step-in
    expect((await world.request('GET', `/v1/claims/${filed.id}`)).body.stepIn).toBe(false);
    const found = await world.request('POST', `/v1/referrals/${referred.body.id}/findings`, {
      key: expertKey,
      body: { verdict: 'valid', notes: 'Receipts and photos are consistent.', confidence: 0.9 },
    });
    expect(found.body).toMatchObject({ status: 'answered', verdict: 'valid' });
    const back = (await world.request('GET', `/v1/claims/${filed.id}`)).body;
    expect(back.status).toBe('awaiting_seller');
    expect(Date.parse(back.deadlines.sellerResponse.at)).toBeGreaterThan(world.clock.now().getTime());
    const again = await world.request('POST', `/v1/referrals/${referred.body.id}/findings`, {
      key: expertKey,
      body: { verdict: 'abusive', notes: 'Changed my mind entirely.', confidence: 0.5 },
    });
    expect(again.status).toBe(409);
  });

  it('flags a copy-paste narrative from another claimant', async () => {
    const story =
      'Without any warning the kettle base began to smoke, melted the plastic cover and burned the wooden counter top beside the sink.';
    const a = await customerWithOrder('cus_n1');
    const b = await customerWithOrder('cus_n2');
    await fileClaim(world, a.key, claimBody({ orderId: a.orderId, description: story }));
    const second = (
      await fileClaim(
        world,
        b.key,
        claimBody({ orderId: b.orderId, description: story.replace('wooden', 'oak') }),
      )
    ).body;
    expect(await signalCodes(second.id)).toContain('near_duplicate_narrative');
    const third = await customerWithOrder('cus_n3');
    const unrelated = (
      await fileClaim(
        world,
        third.key,
        claimBody({
          orderId: third.orderId,
          description: 'My kettle lid hinge snapped and hot water splashed onto my arm.',
        }),
      )
    ).body;
    expect(await signalCodes(unrelated.id)).not.toContain('near_duplicate_narrative');
  });

  it('looks for a retelling among the newest claims sharing each band, so a lookup reads a bounded number', async () => {
    const story =
      'Without any warning the kettle base began to smoke, melted the plastic cover and burned the wooden counter top beside the sink.';
    const earlier: string[] = [];
    for (const id of ['cus_r1', 'cus_r2', 'cus_r3', 'cus_r4']) {
      const customer = await customerWithOrder(id);
      const filed = await fileClaim(
        world,
        customer.key,
        claimBody({ orderId: customer.orderId, description: story }),
      );
      earlier.push(filed.body.id);
      await world.advance(60);
    }
    const latest = await findClaim(world.ctx.db, earlier.at(-1) as string);
    if (!latest) throw new Error('the last claim is not stored');
    // Every band holds the four claims. Read whole, the candidates tie and the first filed wins;
    // read two per band, the newest two are the claimant's own (dropped) and the one before it.
    const whole = await indexAndFindRetellings(world.ctx.db, latest);
    const bounded = await indexAndFindRetellings(world.ctx.db, latest, { claimsPerBand: 2 });
    expect(whole.closestNarrative?.claimId).toBe(earlier[0]);
    expect(whole.closestParaphrase?.claimId).toBe(earlier[0]);
    expect(bounded.closestNarrative).toEqual({ claimId: earlier[2], similarity: 1 });
    expect(bounded.closestParaphrase?.claimId).toBe(earlier[2]);
    // One per band reads only the claimant's own claim: nothing to compare with.
    const own = await indexAndFindRetellings(world.ctx.db, latest, { claimsPerBand: 1 });
    expect(own).toEqual({ closestNarrative: null, closestParaphrase: null });
  });

  it('links accounts through their keyed identity hashes: a household under the limit, strangers sharing a device', async () => {
    const amount = (value: number) => ({
      amount: { value, currency: 'USD' },
      damages: [{ kind: 'property_damage', description: 'Counter', amount: { value, currency: 'USD' } }],
    });
    const file = async (id: string, identity: Record<string, string>, value: number, description: string) => {
      const c = await customerWithOrder(id, { identity });
      const filed = (
        await fileClaim(world, c.key, claimBody({ orderId: c.orderId, description, ...amount(value) }))
      ).body;
      return filed.id as string;
    };
    // One household, two accounts, each just under the USD 1,000 small-claim limit.
    await file(
      'cus_h1',
      { address: '4 Willow Court' },
      97_000,
      'The kettle cracked and hot water ruined the oak worktop.',
    );
    const second = await file(
      'cus_h2',
      { address: '4 Willow Court' },
      96_500,
      'Steam from the kettle warped the cabinet doors above it.',
    );
    expect(await signalCodes(second)).toContain('household_under_limit');
    // The stored assessment keeps the evidence (staff only): the other claim and what is shared.
    expect(await storedEvidence(second, 'household_under_limit')).toMatchObject({
      smallClaimLimit: 100_000,
      claims: [{ amount: 97_000, shared: ['address'] }],
    });
    // A couple at one address, one claim small: not a pattern.
    await file(
      'cus_c1',
      { address: '8 Elm Row' },
      97_000,
      'The kettle handle came off and the water scalded the floor.',
    );
    const couple = await file(
      'cus_c2',
      { address: '8 Elm Row' },
      30_000,
      'Our kettle switch failed and it boiled dry, cracking the glass.',
    );
    expect(await signalCodes(couple)).not.toContain('household_under_limit');

    // Strangers by every fact but one device: a ring. A family's tablet at one address: not.
    const pairs = [
      { ids: ['cus_d1', 'cus_d2'], device: 'tab-77', addresses: ['1 Oak Ave', '900 Pine St'], ring: true },
      {
        ids: ['cus_f1', 'cus_f2'],
        device: 'tab-88',
        addresses: ['3 Birch Lane', '3 Birch Lane'],
        ring: false,
      },
    ];
    const stories = [
      'The kettle lid flew open and burned my hand.',
      'Boiling water leaked from the kettle base onto my foot.',
      'The kettle tipped over when the base slid on the counter.',
      'Our kettle cord frayed and sparked near the toaster.',
    ];
    for (const [p, pair] of pairs.entries()) {
      const filed: string[] = [];
      for (const [m, id] of pair.ids.entries())
        filed.push(
          await file(
            id,
            { deviceId: pair.device, address: pair.addresses[m] as string },
            30_000 + m * 1000,
            stories[p * 2 + m] as string,
          ),
        );
      const codes = await signalCodes(filed[1] as string);
      expect(codes.includes('shared_device_or_payment'), pair.device).toBe(pair.ring);
    }
  });

  it('counts the claimants up to three hops of shared identity facts away, and not the fourth', async () => {
    // A chain: the filer shares a phone with A, A an address with B, B a device with C, C a card with D.
    const chain: [string, Record<string, string>][] = [
      ['cus_hop1', { phone: '+1 518 555 0101', address: '2 Chain St' }],
      ['cus_hop2', { address: '2 Chain St', deviceId: 'dev-chain' }],
      ['cus_hop3', { deviceId: 'dev-chain', paymentFingerprint: 'card-chain' }],
      ['cus_hop4', { paymentFingerprint: 'card-chain' }],
    ];
    for (const [id, identity] of chain) {
      const member = await customerWithOrder(id, { identity });
      await fileClaim(
        world,
        member.key,
        claimBody({ orderId: member.orderId, description: `The kettle of ${id} leaked onto the counter.` }),
      );
    }
    const filer = await customerWithOrder('cus_hop0', { identity: { phone: '+15185550101' } });
    const filed = (await fileClaim(world, filer.key, claimBody({ orderId: filer.orderId }))).body;
    const staff = (await world.request('GET', `/v1/claims/${filed.id}`)).body;
    const linked = staff.risk.signals.find((s: { code: string }) => s.code === 'linked_claimants');
    expect(linked?.reason).toContain('with 3 other claimant(s)');
  });

  it('flags a customer linked to a seller of a competing product', async () => {
    await rivalSeller();
    const saboteur = await customerWithOrder('cus_sab', { identity: { phone: '+12125550142' } });
    const filed = (await fileClaim(world, saboteur.key, claimBody({ orderId: saboteur.orderId }))).body;
    expect(await signalCodes(filed.id)).toContain('linked_to_competing_seller');
    const honest = await customerWithOrder('cus_hon', { identity: { phone: '+12125550143' } });
    const clean = (
      await fileClaim(
        world,
        honest.key,
        claimBody({
          orderId: honest.orderId,
          description: 'The kettle switch stuck on and it boiled dry, cracking the glass.',
        }),
      )
    ).body;
    expect(await signalCodes(clean.id)).not.toContain('linked_to_competing_seller');
  });

  it('flags claims on a seller by several accounts linked to one competing seller', async () => {
    await rivalSeller();
    // Two accounts sharing the rival's phone, each filing on this seller's kettle.
    const stories = [
      'The kettle base scorched the worktop when it was switched on.',
      'My kettle sprayed boiling water from the spout onto the wall.',
    ];
    const filed: { id: string; status: string }[] = [];
    for (const [n, id] of ['cus_sab1', 'cus_sab2'].entries()) {
      const c = await customerWithOrder(id, { identity: { phone: '+12125550142' } });
      filed.push(
        (await fileClaim(world, c.key, claimBody({ orderId: c.orderId, description: stories[n] as string })))
          .body,
      );
    }
    // The stored assessment keeps the evidence (staff only): the rival and the claims it is linked to.
    expect(await storedEvidence(filed[1]?.id as string, 'competitor_cluster')).toEqual({
      competingSellerId: 'slr_rival',
      otherClaims: 1,
      otherAccounts: 1,
    });
    expect(await signalCodes(filed[0]?.id as string)).not.toContain('competitor_cluster');
  });

  it('sends a claim to an expert when its photo was used on another claim, even re-encoded and resized', async () => {
    const a = await customerWithOrder('cus_p1');
    const b = await customerWithOrder('cus_p2');
    const c = await customerWithOrder('cus_p3');
    // Injury claims: a large property claim on a USD 49.99 kettle would itself look inflated.
    const large = { type: 'personal_injury', amount: { value: 250_000, currency: 'USD' } };
    const first = (await fileClaim(world, a.key, claimBody({ orderId: a.orderId, ...large }))).body;
    const second = (
      await fileClaim(
        world,
        b.key,
        claimBody({
          orderId: b.orderId,
          ...large,
          description: 'Kettle fire damaged the kitchen wall and the cabinets above it.',
        }),
      )
    ).body;
    const third = (
      await fileClaim(
        world,
        c.key,
        claimBody({
          orderId: c.orderId,
          ...large,
          description: 'The kettle cord sparked and scorched the floor tiles and skirting.',
        }),
      )
    ).body;
    expect([first.status, second.status, third.status]).toEqual([
      'awaiting_seller',
      'awaiting_seller',
      'awaiting_seller',
    ]);

    const original = await photo(40);
    expect((await upload(first.id, a.key, original)).status).toBe(201);
    expect((await upload(second.id, b.key, original)).status).toBe(201);
    const copied = (await world.request('GET', `/v1/claims/${second.id}`)).body;
    expect(copied.status).toBe('expert_review');
    expect(copied.risk.signals.map((s: { code: string }) => s.code)).toContain('duplicate_evidence_file');

    const reencoded = await sharp(original).resize(128, 128).jpeg({ quality: 70 }).toBuffer();
    expect((await upload(third.id, c.key, reencoded, 'x.jpg', 'image/jpeg')).status).toBe(201);
    expect(await signalCodes(third.id)).toContain('similar_photo_elsewhere');

    const fresh = await customerWithOrder('cus_p4');
    const own = (
      await fileClaim(
        world,
        fresh.key,
        claimBody({
          orderId: fresh.orderId,
          ...large,
          description: 'Kettle base cracked and leaked boiling water onto the floor.',
        }),
      )
    ).body;
    await upload(own.id, fresh.key, await photo(200));
    expect((await world.request('GET', `/v1/claims/${own.id}`)).body.status).toBe('awaiting_seller');
  });

  it("compares the amount with the category's usual one, as the worker last measured it", async () => {
    // The worker keeps each category's 90th percentile (screening/amount-norms.ts); a filing reads it.
    await world.ctx.db
      .insertInto('category_amount_norms')
      .values({
        category: 'kitchen_appliances',
        claim_type: 'property_damage',
        p90: 10_000,
        claims: 25,
        computed_at: world.clock.now(),
      })
      .execute();
    const over = (
      await fileClaim(world, keys.dana, claimBody({ amount: { value: 45_000, currency: 'USD' } }))
    ).body;
    expect(await signalCodes(over.id)).toContain('amount_above_category_norm');
    // Past its age the next pass measures again from the claims stored: one is too few for a norm.
    await world.advance(11 * 60);
    await world.work();
    const norm = await world.ctx.db
      .selectFrom('category_amount_norms')
      .select(['claims', 'p90'])
      .where('category', '=', 'kitchen_appliances')
      .where('claim_type', '=', 'property_damage')
      .executeTakeFirstOrThrow();
    expect(norm).toEqual({ claims: 1, p90: 45_000 });
    const next = await customerWithOrder('cus_norm');
    const later = (await fileClaim(world, next.key, claimBody({ orderId: next.orderId }))).body;
    expect(await signalCodes(later.id)).not.toContain('amount_above_category_norm');
  });

  it("screens a claim again when the claimant answers an agent's question, replacing its narrative fingerprints", async () => {
    const filed = (
      await fileClaim(
        world,
        keys.dana,
        claimBody({ lineId: '2', amount: { value: 250_000, currency: 'USD' } }),
      )
    ).body;
    await world.request('POST', `/v1/claims/${filed.id}/seller-response`, {
      key: keys.acme,
      body: { action: 'dispute', defense: 'We need to see the unit before accepting anything.' },
    });
    const asked = await world.request('POST', `/v1/claims/${filed.id}/information-request`, {
      key: keys.agent,
      body: { question: 'Please upload photos of the heater’s label.' },
    });
    expect(asked.body.status).toBe('needs_info');
    const answered = await world.request('POST', `/v1/claims/${filed.id}/information`, {
      key: keys.dana,
      body: { message: 'The label was burnt off; the receipt shows the model.' },
    });
    expect(answered.status).toBe(200);
    expect(answered.body.status).not.toBe('needs_info');
    const bands = async (table: 'claim_narrative_bands' | 'claim_paraphrase_bands') =>
      (await world.ctx.db.selectFrom(table).select('band').where('claim_id', '=', filed.id).execute()).length;
    expect(await bands('claim_narrative_bands')).toBe(16);
    expect(await bands('claim_paraphrase_bands')).toBe(16);
  });

  it('never denies on a score alone', async () => {
    const member = await customerWithOrder('cus_z', { accountCreatedAt: '2026-11-15T00:00:00Z' });
    const body = claimBody({
      orderId: member.orderId,
      amount: { value: 5_000_000, currency: 'USD' },
      description: 'My phone screen shattered.',
    });
    const filed = (await fileClaim(world, member.key, body)).body;
    expect(['under_review', 'expert_review']).toContain(filed.status);
    await world.advance(60 * 86_400);
    const later = (await world.request('GET', `/v1/claims/${filed.id}`)).body;
    expect(later.status).not.toBe('denied');
  });
});
