import { createHash } from 'node:crypto';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { decompressionBomb, phonePhoto } from './support/evidence-files.ts';
import { multipart } from './support/uploads.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
beforeAll(async () => {
  world = await createWorld();
  keys = await usMarketplace(world);
});
afterAll(() => world.close());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const upload = (claimId: string, key: string, name: string, bytes: Buffer, type = 'image/jpeg') =>
  world.request('POST', `/v1/claims/${claimId}/evidence?purpose=photo`, {
    key,
    ...multipart(name, bytes, type),
  });

const download = (claimId: string, evidenceId: string, key: string) =>
  world.app.inject({
    method: 'GET',
    url: `/v1/claims/${claimId}/evidence/${evidenceId}/content`,
    headers: { authorization: `Bearer ${key}` },
  });

const signals = async (claimId: string): Promise<string[]> =>
  ((await world.request('GET', `/v1/claims/${claimId}`)).body.risk?.signals ?? []).map(
    (s: { code: string }) => s.code,
  );

describe('a photo from a phone', () => {
  it("reaches the seller without the claimant's name, e-mail or GPS, upright, as a sandboxed download", async () => {
    const claim = (
      await fileClaim(
        world,
        keys.dana,
        claimBody({ lineId: '2', amount: { value: 300_000, currency: 'USD' } }),
      )
    ).body;
    expect(claim.status).toBe('awaiting_seller');
    const original = await phonePhoto('Dana Reyes');
    const stored = await upload(claim.id, keys.dana, 'dana-reyes-kitchen.jpg', original);
    expect(stored.status, JSON.stringify(stored.body)).toBe(201);
    expect(stored.body.sha256).toBe(sha256(original));

    const listed = await world.request('GET', `/v1/claims/${claim.id}/evidence`, { key: keys.acme });
    expect(listed.body.data).toMatchObject([{ id: stored.body.id, filename: null }]);
    const own = await world.request('GET', `/v1/claims/${claim.id}/evidence`, { key: keys.dana });
    expect(own.body.data).toMatchObject([{ id: stored.body.id, filename: 'dana-reyes-kitchen.jpg' }]);

    const served = await download(claim.id, stored.body.id, keys.acme);
    expect(served.statusCode).toBe(200);
    expect(served.headers).toMatchObject({
      'content-type': 'image/jpeg',
      'content-disposition': `attachment; filename="${stored.body.id}.jpg"`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': 'sandbox',
    });
    const bytes = served.rawPayload;
    expect(bytes.length).toBe(stored.body.sizeBytes);
    expect(sha256(bytes)).not.toBe(sha256(original));
    for (const trace of ['Dana Reyes', 'dana@example.com', 'Exif\0\0', 'GPS'])
      expect(bytes.includes(trace), trace).toBe(false);
    const metadata = await sharp(bytes).metadata();
    expect([metadata.width, metadata.height, metadata.exif, metadata.orientation]).toEqual([
      20,
      40,
      undefined,
      undefined,
    ]);
  });

  it('sent again on another claim is a duplicate by the bytes as sent, not as cleaned', async () => {
    const claim = (await fileClaim(world, keys.eli, claimBody({ orderId: 'ord_2', lineId: '1' }))).body;
    // Same pixels, another author: the cleaned copies are identical, the uploads are not.
    const sameScene = await upload(claim.id, keys.eli, 'mine.jpg', await phonePhoto('Eli Park'));
    expect(sameScene.status).toBe(201);
    expect(await signals(claim.id)).not.toContain('duplicate_evidence_file');

    const copied = await upload(claim.id, keys.eli, 'copy.jpg', await phonePhoto('Dana Reyes'));
    expect(copied.status).toBe(201);
    expect(await signals(claim.id)).toContain('duplicate_evidence_file');
  });
});

describe('files that attack the reader', () => {
  it('a decompression bomb is refused with 413 before it is decoded', async () => {
    const claim = (await fileClaim(world, keys.eli, claimBody({ orderId: 'ord_2', lineId: '2' }))).body;
    const res = await upload(claim.id, keys.eli, 'zeros.png', decompressionBomb(), 'image/png');
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'urn:redress:problem:payload_too_large',
      errors: [
        { field: 'file', rule: 'the image is 20000×20000 pixels; at most 64 megapixels are accepted' },
      ],
    });
    expect((await world.request('GET', `/v1/claims/${claim.id}/evidence`)).body.data).toEqual([]);
  });

  it('a PDF that runs JavaScript when opened is refused with 400 naming the rule', async () => {
    const claim = (await fileClaim(world, keys.eli, claimBody({ orderId: 'ord_2', lineId: '3' }))).body;
    const document = await PDFDocument.create();
    document.addPage([200, 200]);
    const action = document.context.obj({
      S: 'JavaScript',
      JS: PDFString.of('app.launchURL("https://x.example")'),
    });
    document.catalog.set(PDFName.of('OpenAction'), document.context.register(action));
    const res = await upload(
      claim.id,
      keys.eli,
      'receipt.pdf',
      Buffer.from(await document.save()),
      'application/pdf',
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      type: 'urn:redress:problem:validation_failed',
      errors: [
        { field: 'file', rule: 'PDFs with scripts or automatic actions are refused (found /OpenAction)' },
      ],
    });
  });
});
