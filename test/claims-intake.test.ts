import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, deliveredOrder, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { multipart, png } from './support/uploads.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
beforeAll(async () => {
  world = await createWorld();
  keys = await usMarketplace(world);
});
afterAll(() => world.close());

describe('eligibility', () => {
  it.each([
    ['order_unknown', { orderId: 'ord_missing' }],
    ['order_not_claimants', { orderId: 'ord_2' }],
    ['line_unknown', { lineId: '99' }],
    ['not_delivered', { lineId: '3' }],
    ['not_third_party_seller', { lineId: '4' }],
    ['incident_before_delivery', { incidentAt: '2026-11-01T12:00:00Z' }],
    ['incident_in_future', { incidentAt: '2026-11-17T12:00:00Z' }],
    ['amount_not_positive', { amount: { value: 0, currency: 'USD' } }],
    [
      'currency_mismatch',
      {
        amount: { value: 100, currency: 'EUR' },
        damages: [{ kind: 'other_economic', description: 'x', amount: { value: 100, currency: 'EUR' } }],
      },
    ],
    ['amount_above_maximum', { amount: { value: 100_000_001, currency: 'USD' } }],
  ])('stores and denies a claim with %s', async (code, change) => {
    const res = await fileClaim(world, keys.dana, claimBody(change));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'denied', denialReason: code, payer: null });
    expect(res.body.deadlines.appeal).not.toBeNull();
    const stored = await world.request('GET', `/v1/claims/${res.body.id}`, { key: keys.dana });
    expect(stored.body.status).toBe('denied');
  });

  it('denies a claim filed after the filing window', async () => {
    const late = await createWorld({ start: new Date('2027-03-01T15:00:00Z') });
    try {
      const lateKeys = await usMarketplace(late);
      const res = await fileClaim(late, lateKeys.dana, claimBody({ incidentAt: '2026-11-20T12:00:00Z' }));
      expect(res.body).toMatchObject({ status: 'denied', denialReason: 'outside_filing_window' });
    } finally {
      await late.close();
    }
  });

  it('denies a second claim on a line with an open claim, and accepts one after withdrawal', async () => {
    const first = await fileClaim(
      world,
      keys.dana,
      claimBody({ lineId: '5', amount: { value: 300_000, currency: 'USD' } }),
    );
    expect(first.body.status).toBe('awaiting_seller');
    const second = await fileClaim(world, keys.dana, claimBody({ lineId: '5' }));
    expect(second.body).toMatchObject({ status: 'denied', denialReason: 'open_claim_on_line' });
    await world.request('POST', `/v1/claims/${first.body.id}/withdraw`, { key: keys.dana, body: {} });
    const third = await fileClaim(world, keys.dana, claimBody({ lineId: '5' }));
    expect(third.body.status).toBe('approved');
  });

  it('lets an agent file for a customer, and requires naming the customer', async () => {
    const forDana = await fileClaim(
      world,
      keys.agent,
      claimBody({ customerId: 'cus_eli', orderId: 'ord_2', lineId: '1', channel: 'phone' }),
    );
    expect(forDana.status).toBe(201);
    expect(forDana.body.customerId).toBe('cus_eli');
    const nameless = await fileClaim(world, keys.agent, claimBody());
    expect(nameless.status).toBe(400);
    expect(nameless.body.errors).toEqual([
      { field: 'body.customerId', rule: 'required when an agent files' },
    ]);
  });

  it('does not let a customer file for another customer', async () => {
    const res = await fileClaim(
      world,
      keys.dana,
      claimBody({ customerId: 'cus_eli', orderId: 'ord_2', lineId: '1' }),
    );
    expect(res.status).toBe(403);
  });
});

describe('idempotency', () => {
  it('returns the first answer for a retried request, creating one claim', async () => {
    const body = claimBody({ orderId: 'ord_2', lineId: '1' });
    const first = await fileClaim(world, keys.eli, body, 'retry-me-0001');
    const again = await fileClaim(world, keys.eli, body, 'retry-me-0001');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const count = await world.ctx.db
      .selectFrom('claims')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('customer_id', '=', 'cus_eli')
      .where('filed_by_role', '=', 'customer')
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it('refuses the same key with a different body', async () => {
    await fileClaim(world, keys.eli, claimBody({ orderId: 'ord_2', lineId: '1' }), 'reused-key-0001');
    const res = await fileClaim(
      world,
      keys.eli,
      claimBody({ orderId: 'ord_2', lineId: '1', description: 'Something else entirely.' }),
      'reused-key-0001',
    );
    expect(res.status).toBe(422);
    expect(res.body.type).toBe('urn:redress:problem:idempotency_key_reused');
  });

  it('requires an Idempotency-Key', async () => {
    const res = await world.request('POST', '/v1/claims', { key: keys.dana, body: claimBody() });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('headers.idempotency-key');
  });
});

describe('evidence', () => {
  it('stores a photo with its SHA-256, records it, and serves it back', async () => {
    const claim = (
      await fileClaim(
        world,
        keys.dana,
        claimBody({ lineId: '2', amount: { value: 300_000, currency: 'USD' } }),
      )
    ).body;
    const image = png();
    const upload = await world.request('POST', `/v1/claims/${claim.id}/evidence?purpose=photo`, {
      key: keys.dana,
      ...multipart('burn.png', image, 'image/png'),
    });
    expect(upload.status).toBe(201);
    expect(upload.body).toMatchObject({ mediaType: 'image/png', purpose: 'photo', filename: 'burn.png' });
    expect(upload.body.sha256).toBe(createHash('sha256').update(image).digest('hex'));
    const content = await world.app.inject({
      method: 'GET',
      url: `/v1/claims/${claim.id}/evidence/${upload.body.id}/content`,
      headers: { authorization: `Bearer ${keys.dana}` },
    });
    // What is served is the cleaned re-encoding: the same pixel, no metadata.
    expect(content.rawPayload.length).toBe(upload.body.sizeBytes);
    expect([...(await sharp(content.rawPayload).raw().toBuffer())]).toEqual([255, 0, 0]);
    const history = (await world.request('GET', `/v1/claims/${claim.id}/events`)).body.data;
    expect(history.at(-1)).toMatchObject({
      type: 'claim.evidence_added',
      data: { evidenceId: upload.body.id },
    });
  });

  it('judges the type by content, not by the file name', async () => {
    const claim = (await fileClaim(world, keys.eli, claimBody({ orderId: 'ord_2', lineId: '1' }))).body;
    const fake = await world.request('POST', `/v1/claims/${claim.id}/evidence`, {
      key: keys.eli,
      ...multipart('photo.png', Buffer.from('#!/bin/sh\necho not a photo\n'), 'image/png'),
    });
    expect(fake.status).toBe(415);
    expect(fake.body.type).toBe('urn:redress:problem:unsupported_media_type');
  });

  it('refuses a file over 10 MiB', async () => {
    const claim = (await fileClaim(world, keys.eli, claimBody({ orderId: 'ord_2', lineId: '1' }))).body;
    const big = Buffer.concat([png(), Buffer.alloc(10 * 1024 * 1024 + 1)]);
    const res = await world.request('POST', `/v1/claims/${claim.id}/evidence`, {
      key: keys.eli,
      ...multipart('big.png', big, 'image/png'),
    });
    expect(res.status).toBe(413);
  });

  it('lets a seller attach its defense evidence and cite it', async () => {
    await deliveredOrder(world, 'ord_3', 'cus_dana', 'prd_heater');
    const claim = (
      await fileClaim(
        world,
        keys.dana,
        claimBody({ orderId: 'ord_3', amount: { value: 300_000, currency: 'USD' } }),
      )
    ).body;
    expect(claim.status).toBe('awaiting_seller');
    const evidence = await world.request('POST', `/v1/claims/${claim.id}/evidence?purpose=defense`, {
      key: keys.acme,
      ...multipart('test.png', png(), 'image/png'),
    });
    expect(evidence.status).toBe(201);
    const response = await world.request('POST', `/v1/claims/${claim.id}/seller-response`, {
      key: keys.acme,
      body: {
        action: 'dispute',
        defense: 'Lab test of the returned unit attached; it passes.',
        evidenceIds: [evidence.body.id],
      },
    });
    expect(response.body).toMatchObject({
      status: 'under_review',
      sellerResponse: { evidenceIds: [evidence.body.id] },
    });
  });
});
