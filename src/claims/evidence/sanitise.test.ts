import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decompressionBomb, phonePhoto } from '../../../test/support/evidence-files.ts';
import { AppError } from '../../platform/errors.ts';
import { MAX_IMAGE_PIXELS, sanitiseEvidence } from './sanitise.ts';

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('photos', () => {
  it('lose every metadata block, keep their pixels and stand the right way up', async () => {
    const original = await phonePhoto();
    const before = await sharp(original).metadata();
    expect([before.width, before.height, before.orientation, Boolean(before.exif)]).toEqual([
      40,
      20,
      6,
      true,
    ]);
    expect(original.includes('Dana Claimant')).toBe(true);

    const { bytes, mediaType } = await sanitiseEvidence(original, 'image/jpeg');
    const after = await sharp(bytes).metadata();
    expect(mediaType).toBe('image/jpeg');
    // Orientation 6 means "rotate 90° clockwise": applied to the pixels, the tag gone.
    expect([after.width, after.height, after.orientation]).toEqual([20, 40, undefined]);
    expect([after.exif, after.xmp, after.iptc, after.icc]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    for (const trace of ['Dana Claimant', 'dana@example.com', 'Exif\0\0', 'GPS', 'http://ns.adobe.com/xap'])
      expect(bytes.includes(trace), trace).toBe(false);
    expect((await sharp(bytes).stats()).dominant.r).toBeGreaterThan(150);
  });

  it('are refused when they would decode to more than the pixel budget, before decoding', async () => {
    const bomb = decompressionBomb();
    expect(bomb.length).toBeLessThan(100_000);
    const started = performance.now();
    const error = await refusal(sanitiseEvidence(bomb, 'image/png'));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.status).toBe(413);
    expect(error.errors).toEqual([
      {
        field: 'file',
        rule: `the image is 20000×20000 pixels; at most ${MAX_IMAGE_PIXELS / 1_000_000} megapixels are accepted`,
      },
    ]);
  });

  it('are refused when damaged rather than stored as sent', async () => {
    const truncated = (await phonePhoto()).subarray(0, 200);
    expect((await refusal(sanitiseEvidence(truncated, 'image/jpeg'))).status).toBe(400);
  });

  it('of a kind we cannot clean (HEIC) are refused, not kept with their GPS', async () => {
    const error = await refusal(sanitiseEvidence(Buffer.from('not really heic'), 'image/heic'));
    expect(error.status).toBe(415);
  });
});

async function pdf(build: (document: PDFDocument) => void, useObjectStreams = true): Promise<Buffer> {
  const document = await PDFDocument.create();
  document.addPage([200, 200]).drawText('Repair quote: 120.00 USD', { x: 10, y: 100, size: 10 });
  build(document);
  return Buffer.from(await document.save({ useObjectStreams }));
}

describe('PDFs', () => {
  it('without anything active are kept byte for byte', async () => {
    const quote = await pdf(() => {});
    const { bytes } = await sanitiseEvidence(quote, 'application/pdf');
    expect(bytes.equals(quote)).toBe(true);
  });

  it('with JavaScript run on opening are refused, even inside a compressed object stream', async () => {
    const script = await pdf((document) => {
      const action = document.context.obj({
        Type: 'Action',
        S: 'JavaScript',
        JS: PDFString.of('app.alert(1)'),
      });
      document.catalog.set(PDFName.of('OpenAction'), document.context.register(action));
    });
    // The catalog sits in a deflated object stream: nothing readable in the raw bytes.
    expect(script.includes('/OpenAction')).toBe(false);
    const error = await refusal(sanitiseEvidence(script, 'application/pdf'));
    expect(error.status).toBe(400);
    expect(error.errors).toEqual([
      { field: 'file', rule: 'PDFs with scripts or automatic actions are refused (found /OpenAction)' },
    ]);
  });

  it('with a page action or a launch action are refused', async () => {
    const pageAction = await pdf((document) => {
      const page = document.getPage(0).node;
      page.set(PDFName.of('AA'), document.context.obj({ O: { S: 'Launch', F: 'calc.exe' } }));
    });
    expect((await refusal(sanitiseEvidence(pageAction, 'application/pdf'))).errors?.[0]?.rule).toMatch(
      /found \/AA/,
    );
    const link = await pdf((document) => {
      document.getPage(0).node.set(PDFName.of('Annots'), document.context.obj([{ A: { S: 'Launch' } }]));
    });
    expect((await refusal(sanitiseEvidence(link, 'application/pdf'))).errors?.[0]?.rule).toMatch(
      /found \/Launch/,
    );
  });

  it('that hide a name behind #-escapes in lower case are refused', async () => {
    const plain = (await pdf(() => {}, false)).toString('latin1');
    // /#4aavaScript spells /JavaScript (#4a is J); pdf-lib itself decodes only upper-case hex digits.
    const disguised = plain.replace(
      '/Type /Catalog',
      '/Type /Catalog /Names << /#4aavaScript << /Names [] >> >>',
    );
    expect(disguised).not.toBe(plain);
    const error = await refusal(sanitiseEvidence(Buffer.from(disguised, 'latin1'), 'application/pdf'));
    expect(error.errors?.[0]?.rule).toMatch(/found \/JavaScript/);
  });
});
