import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check-ledger.ts';
import { runDuePayouts } from '../src/ledger/execute-payouts.ts';
import { ledgerOnlyProvider, type PaymentProvider } from '../src/ledger/payment-provider.ts';
import { fraudAssessor } from '../src/screening/fraud-assessor.ts';
import { claimBody, deliveredOrder, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { type FormPart, multipart, multipartParts, photo } from './support/uploads.ts';

/** The built-in provider, a little slow, so a worker is often mid-call when a flag arrives. */
const slowProvider: PaymentProvider = {
  name: 'ledger',
  pay: async (request) => {
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 8)));
    return ledgerOnlyProvider.pay(request);
  },
};

let world: World;
// One world per file, emptied before each test (harness reset): a new world per test cost
// a database and a server each time.
beforeAll(async () => {
  world = await createWorld({ riskAssessor: fraudAssessor, payments: slowProvider });
});
afterAll(() => world.close());
beforeEach(async () => {
  await world.reset();
  await usMarketplace(world);
});
afterEach(async () => {
  // Whatever happened, the books balance and no claim was paid twice.
  expect((await checkLedger(world.ctx.db)).problems).toEqual([]);
});

let customers = 0;
/** A long-standing customer with one delivered kettle order. */
async function customerWithOrder() {
  const id = `cus_h${++customers}`;
  await world.request('PUT', `/v1/customers/${id}`, {
    body: {
      marketplaceId: 'mkt_us',
      name: `Customer ${id}`,
      email: `${id}@example.com`,
      accountCreatedAt: '2022-01-01T00:00:00Z',
    },
  });
  const orderId = `ord_h${customers}`;
  await deliveredOrder(world, orderId, id);
  return { id, key: await world.key('customer', id), orderId };
}

/** The same photo, resized and re-encoded: another claimant's picture passed off as one's own. */
const reused = (original: Buffer) => sharp(original).resize(128, 128).jpeg({ quality: 70 }).toBuffer();

/** POST /v1/claims as multipart/form-data: a claim part and files, as the web app sends it. */
function postFiling(key: string, parts: FormPart[], idempotencyKey: string) {
  const body = multipartParts(parts);
  return world.request('POST', '/v1/claims', {
    key,
    payload: body.payload,
    headers: { ...body.headers, 'idempotency-key': idempotencyKey },
  });
}

function fileWithPhotos(key: string, claim: unknown, photos: Buffer[], idempotencyKey: string) {
  return postFiling(
    key,
    [
      { name: 'claim', value: JSON.stringify(claim) },
      ...photos.map((bytes, i) => ({ name: 'photo', filename: `p${i}.jpg`, type: 'image/jpeg', bytes })),
    ],
    idempotencyKey,
  );
}

function upload(claimId: string, key: string, bytes: Buffer) {
  const body = multipart('photo.jpg', bytes, 'image/jpeg');
  return world.request('POST', `/v1/claims/${claimId}/evidence?purpose=photo`, { key, ...body });
}

const payoutOf = (claimId: string) =>
  world.ctx.db.selectFrom('payouts').selectAll().where('claim_id', '=', claimId).executeTakeFirst();

const recoveriesOf = (claimId: string) =>
  world.ctx.db
    .selectFrom('recoveries')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('debtor')
    .execute();

const eventTypes = async (claimId: string) =>
  (
    await world.ctx.db
      .selectFrom('claim_events')
      .select('type')
      .where('claim_id', '=', claimId)
      .orderBy('seq')
      .execute()
  ).map((e) => e.type);

/** A claim whose photo is the original another claimant's copy is taken from. */
async function originalPhotoClaim(shade: number) {
  const owner = await customerWithOrder();
  const original = await photo(shade);
  const filed = (await fileClaim(world, owner.key, claimBody({ orderId: owner.orderId }))).body;
  expect(filed.status).toBe('approved');
  expect((await upload(filed.id, owner.key, original)).status).toBe(201);
  return original;
}

/** A small claim approved at filing: its payout is queued and not yet run. */
async function approvedSmallClaim(extra: Record<string, unknown> = {}) {
  const claimant = await customerWithOrder();
  const filed = (
    await fileClaim(
      world,
      claimant.key,
      claimBody({
        orderId: claimant.orderId,
        description: `The kettle ${customers} boiled dry and scorched the worktop.`,
        ...extra,
      }),
    )
  ).body;
  expect(filed.status).toBe('approved');
  return { claimant, claim: filed };
}

describe('a flag raised after approval', () => {
  it('holds the queued payout, sends the claim to an agent, and tells the claimant only that a detail is checked', async () => {
    const original = await originalPhotoClaim(60);
    const { claimant, claim } = await approvedSmallClaim();
    expect((await payoutOf(claim.id))?.status).toBe('pending');

    expect((await upload(claim.id, claimant.key, await reused(original))).status).toBe(201);
    await world.work();

    expect(await payoutOf(claim.id)).toMatchObject({ status: 'held', settled_at: null });
    const staff = (await world.request('GET', `/v1/claims/${claim.id}`)).body;
    // No expert is on file in this marketplace: an agent reviews it.
    expect(staff).toMatchObject({ status: 'under_review', reviewKind: 'risk', payment: { status: 'held' } });
    expect(staff.risk.hardRule).toBe('similar_photo_elsewhere');
    expect(await eventTypes(claim.id)).toEqual(
      expect.arrayContaining(['claim.risk_flagged', 'claim.payout_held', 'claim.review_started']),
    );
    expect(await eventTypes(claim.id)).not.toContain('claim.paid');

    // The claimant sees the hold, not why: the flag's event carries neither reason nor signals.
    const seen = (await world.request('GET', `/v1/claims/${claim.id}/events`, { key: claimant.key })).body;
    const held = seen.data.find((e: { type: string }) => e.type === 'claim.payout_held');
    expect(held.reason).toBe('checking_a_detail');
    // The flag itself is staff-only: it is not in the claimant's history at all.
    expect(seen.data.find((e: { type: string }) => e.type === 'claim.risk_flagged')).toBeUndefined();
    expect(JSON.stringify(seen.data)).not.toContain('similar_photo');
    const own = (await world.request('GET', `/v1/claims/${claim.id}`, { key: claimant.key })).body;
    expect(own.risk).toBeNull();
    const mail = await world.ctx.db
      .selectFrom('mail_deliveries')
      .selectAll()
      .where('recipient_id', '=', claimant.id)
      .execute();
    expect(JSON.stringify(mail)).not.toContain('photo');
  });

  it('is released by an agent: the claim is approved again and paid once', async () => {
    const original = await originalPhotoClaim(60);
    const { claimant, claim } = await approvedSmallClaim();
    await upload(claim.id, claimant.key, await reused(original));
    const agent = await world.key('agent');

    const byClaimant = await world.request('POST', `/v1/claims/${claim.id}/payout-hold`, {
      key: claimant.key,
      body: { action: 'release', reason: 'my own photo' },
    });
    expect(byClaimant.status).toBe(403);

    const released = await world.request('POST', `/v1/claims/${claim.id}/payout-hold`, {
      key: agent,
      body: {
        action: 'release',
        reason: 'Both photos show the same kettle model; the claimant sent receipts',
      },
    });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'approved', payment: { status: 'pending' } });
    await world.work();
    expect(await payoutOf(claim.id)).toMatchObject({ status: 'settled' });
    expect(await eventTypes(claim.id)).toEqual(
      expect.arrayContaining(['claim.payout_released', 'claim.paid']),
    );

    const again = await world.request('POST', `/v1/claims/${claim.id}/payout-hold`, {
      key: agent,
      body: { action: 'cancel', reason: 'abusive' },
    });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('urn:redress:problem:conflict');
  });

  it('is cancelled by an agent: the payout never runs, its cost is reversed and the claim denied', async () => {
    const original = await originalPhotoClaim(80);
    const { claimant, claim } = await approvedSmallClaim();
    await upload(claim.id, claimant.key, await reused(original));
    const agent = await world.key('agent');

    const bad = await world.request('POST', `/v1/claims/${claim.id}/payout-hold`, {
      key: agent,
      body: { action: 'cancel', reason: 'because' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('body.reason');

    const cancelled = await world.request('POST', `/v1/claims/${claim.id}/payout-hold`, {
      key: agent,
      body: { action: 'cancel', reason: 'abusive', note: 'Photo taken from another claim' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'denied',
      denialReason: 'abusive',
      payment: { status: 'cancelled' },
    });
    await world.work();
    expect((await payoutOf(claim.id))?.status).toBe('cancelled');
    const payable = await world.ctx.db
      .selectFrom('ledger_accounts')
      .select('balance')
      .where('id', '=', `customer_payable:mkt_us:${claimant.id}`)
      .executeTakeFirstOrThrow();
    expect(payable.balance).toBe(0);
    expect(await eventTypes(claim.id)).toEqual(
      expect.arrayContaining(['claim.payout_cancelled', 'claim.denied']),
    );
  });

  it('is decided by the expert it was referred to, whose findings cancel the payout', async () => {
    await world.request('PUT', '/v1/experts/exp_lee', {
      body: { marketplaceId: 'mkt_us', organisation: 'Veritas Investigations', name: 'J. Lee' },
    });
    const expert = await world.key('expert', 'exp_lee');
    const original = await originalPhotoClaim(100);
    const { claimant, claim } = await approvedSmallClaim();
    await upload(claim.id, claimant.key, await reused(original));
    const referred = (await world.request('GET', `/v1/claims/${claim.id}`)).body;
    expect(referred).toMatchObject({ status: 'expert_review', payment: { status: 'held' } });

    const list = (await world.request('GET', '/v1/referrals', { key: expert })).body.data;
    const referral = list.find((r: { claim: { id: string } }) => r.claim.id === claim.id);
    const findings = await world.request('POST', `/v1/referrals/${referral.id}/findings`, {
      key: expert,
      body: { verdict: 'abusive', notes: 'The photo is the other claimant’s, resized.', confidence: 0.9 },
    });
    expect(findings.status).toBe(200);
    const decided = (await world.request('GET', `/v1/claims/${claim.id}`)).body;
    expect(decided).toMatchObject({ status: 'denied', payment: { status: 'cancelled' } });
  });

  it('on a claim the provider already paid, opens a recovery from the claimant and spares the seller', async () => {
    // The lamp's seller holds no insurance, so its recovery waits for its proof-of-insurance window.
    const claimant = await customerWithOrder();
    await world.request('PUT', `/v1/orders/ord_lamp_${claimant.id}`, {
      body: {
        marketplaceId: 'mkt_us',
        customerId: claimant.id,
        lines: [
          {
            lineId: '1',
            productId: 'prd_lamp',
            sellerId: 'slr_other',
            quantity: 1,
            unitPrice: { value: 3999, currency: 'USD' },
            deliveredAt: '2026-11-02T15:00:00Z',
          },
        ],
      },
    });
    const original = await originalPhotoClaim(120);
    const filed = (
      await fileClaim(
        world,
        claimant.key,
        claimBody({
          orderId: `ord_lamp_${claimant.id}`,
          description: 'The desk lamp shorted and burnt the desk.',
        }),
      )
    ).body;
    await world.work();
    expect((await world.request('GET', `/v1/claims/${filed.id}`)).body.status).toBe('paid');
    expect((await recoveriesOf(filed.id)).map((r) => [r.debtor, r.status])).toEqual([['seller', 'pending']]);

    await upload(filed.id, claimant.key, await reused(original));
    const recoveries = await recoveriesOf(filed.id);
    expect(recoveries.map((r) => [r.debtor, r.status])).toEqual([
      ['customer', 'invoiced'],
      ['seller', 'waived'],
    ]);
    const owed = await world.ctx.db
      .selectFrom('ledger_accounts')
      .select('balance')
      .where('id', '=', `customer_receivable:mkt_us:${claimant.id}`)
      .executeTakeFirstOrThrow();
    expect(owed.balance).toBe(45_000);
    const staff = (await world.request('GET', `/v1/claims/${filed.id}`)).body;
    expect(staff.recovery).toMatchObject({ id: recoveries[0]?.id, status: 'invoiced' });

    // The claimant repays; the recovery is complete and the claim closes.
    const paid = await world.request('POST', `/v1/recoveries/${recoveries[0]?.id}/payments`, {
      headers: { 'idempotency-key': 'claimant-repays-1' },
      body: { amount: { value: 45_000, currency: 'USD' }, reference: 'bank transfer 7781' },
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body).toMatchObject({ debtor: 'customer', status: 'recovered' });
    expect((await world.request('GET', `/v1/claims/${filed.id}`)).body.status).toBe('closed');
  });
});

describe('a payout worker racing late flags', () => {
  const CLAIMS = 16;
  it(`ends each of ${CLAIMS} claims paid-then-recovered or held, never paid unseen, each paid at most once`, async () => {
    const original = await originalPhotoClaim(80);
    const copy = await reused(original);
    await world.work();
    const filed = [];
    for (let i = 0; i < CLAIMS; i++) filed.push(await approvedSmallClaim());
    const second = await world.secondContext();
    try {
      const [, , ...uploads] = await Promise.all([
        runDuePayouts(world.ctx),
        runDuePayouts(second),
        ...filed.map(({ claim, claimant }) => upload(claim.id, claimant.key, copy)),
      ]);
      // Every photo is taken, whatever the payout was doing.
      for (const answer of uploads as { status: number; body: unknown }[])
        expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      await world.work();
    } finally {
      await second.close();
    }
    const outcomes = { held: 0, recovering: 0 };
    for (const { claim } of filed) {
      const payout = await payoutOf(claim.id);
      const types = await eventTypes(claim.id);
      const recoveries = await recoveriesOf(claim.id);
      const settlements = await world.ctx.db
        .selectFrom('journal_entries')
        .select('id')
        .where('claim_id', '=', claim.id)
        .where('kind', '=', 'payout_settled')
        .execute();
      expect(types).toContain('claim.risk_flagged');
      if (payout?.status === 'settled') {
        // The money had left: the claimant owes it back; the seller is not charged.
        outcomes.recovering++;
        expect(settlements).toHaveLength(1);
        expect(recoveries.find((r) => r.debtor === 'customer')?.status).toBe('invoiced');
        expect(recoveries.filter((r) => r.debtor === 'seller' && r.status !== 'waived')).toEqual([]);
      } else {
        outcomes.held++;
        expect(payout?.status).toBe('held');
        expect(settlements).toHaveLength(0);
        expect(types).toContain('claim.payout_held');
        expect(types).not.toContain('claim.paid');
        expect((await world.request('GET', `/v1/claims/${claim.id}`)).body.status).toBe('under_review');
      }
    }
    expect(outcomes.held + outcomes.recovering).toBe(CLAIMS);
  });
});

describe('filing with photos in one request', () => {
  it('holds a claim whose photo was used on another claim at once: it is never approved for payout', async () => {
    const original = await originalPhotoClaim(160);
    const claimant = await customerWithOrder();
    const claim = claimBody({
      orderId: claimant.orderId,
      description: 'Kettle boiled over and warped the shelf.',
    });
    const filed = await fileWithPhotos(claimant.key, claim, [await reused(original)], 'multipart-reused-1');
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    // The claimant reads a referral as an ordinary review; staff see where it went.
    expect(filed.body.status).toBe('under_review');
    expect((await world.request('GET', `/v1/claims/${filed.body.id}`)).body.status).toBe('expert_review');
    expect(await payoutOf(filed.body.id)).toBeUndefined();
    const types = await eventTypes(filed.body.id);
    // The photo was on file before the claim was screened.
    expect(types.indexOf('claim.evidence_added')).toBeLessThan(types.indexOf('claim.screened'));
    expect(types).not.toContain('claim.approved');
    const staff = (await world.request('GET', `/v1/claims/${filed.body.id}`)).body;
    expect(staff.risk.hardRule).toBe('similar_photo_elsewhere');
  });

  it('approves an honest claim with its own photos, and replays a retry with the same key', async () => {
    const claimant = await customerWithOrder();
    const claim = claimBody({
      orderId: claimant.orderId,
      description: 'Kettle lid snapped and scalded the cat bowl.',
    });
    const photos = [await photo(200), await photo(220)];
    const first = await fileWithPhotos(claimant.key, claim, photos, 'multipart-honest-1');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.status).toBe('approved');
    const evidence = (
      await world.request('GET', `/v1/claims/${first.body.id}/evidence`, { key: claimant.key })
    ).body;
    expect(evidence.data.map((e: { purpose: string }) => e.purpose)).toEqual(['photo', 'photo']);

    const retry = await fileWithPhotos(claimant.key, claim, photos, 'multipart-honest-1');
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.id).toBe(first.body.id);

    // The same key with other photos is another request.
    const other = await fileWithPhotos(claimant.key, claim, [await photo(10)], 'multipart-honest-1');
    expect(other.status).toBe(422);
    expect(other.body.type).toBe('urn:redress:problem:idempotency_key_reused');
  });

  it('lets an agent file for a customer with the photos the customer e-mailed', async () => {
    const claimant = await customerWithOrder();
    const agent = await world.key('agent');
    const filed = await fileWithPhotos(
      agent,
      claimBody({
        customerId: claimant.id,
        channel: 'email',
        orderId: claimant.orderId,
        description: 'Kettle base melted the mat.',
      }),
      [await photo(30)],
      'agent-files-1',
    );
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body).toMatchObject({ customerId: claimant.id, status: 'approved' });
  });

  it('names the part when the multipart filing is malformed', async () => {
    const claimant = await customerWithOrder();
    const stray = { name: 'photo', filename: 'a.png', type: 'image/png', bytes: await photo(5) };
    const claim = { name: 'claim', value: JSON.stringify(claimBody({ orderId: claimant.orderId })) };
    const cases: [FormPart[], string, string][] = [
      [[stray], 'claim', 'required'],
      [[{ name: 'claim', value: '{not json' }], 'claim', 'must be the claim as JSON'],
      [[claim, { ...stray, name: 'selfie' }], 'selfie', 'named by its purpose'],
    ];
    for (const [index, [parts, field, rule]] of cases.entries()) {
      const answer = await postFiling(claimant.key, parts, `malformed-${index}`);
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([{ field, rule: expect.stringContaining(rule) }]);
    }
  });
});

describe('a claim filed saying photos are coming', () => {
  it('waits the policy’s evidence window, so a reused photo sent in it holds the payout', async () => {
    const original = await originalPhotoClaim(180);
    const { claimant, claim } = await approvedSmallClaim({ evidenceToFollow: true });
    await world.work();
    expect((await payoutOf(claim.id))?.status).toBe('pending');
    await world.advance(10 * 60);
    expect((await payoutOf(claim.id))?.status).toBe('pending');
    await upload(claim.id, claimant.key, await reused(original));
    await world.advance(60 * 60);
    expect((await payoutOf(claim.id))?.status).toBe('held');
  });

  it('is paid when the window ends without a flag', async () => {
    const { claim } = await approvedSmallClaim({ evidenceToFollow: true });
    await world.advance(29 * 60);
    expect((await payoutOf(claim.id))?.status).toBe('pending');
    await world.advance(2 * 60);
    expect((await payoutOf(claim.id))?.status).toBe('settled');
  });
});
