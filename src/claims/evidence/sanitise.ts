// pdf-lib is loaded when a PDF arrives (about 300 ms of start-up for every process otherwise).
import type { PDFDocument, PDFName, PDFObject } from 'pdf-lib';

type PdfLib = typeof import('pdf-lib');

import { AppError } from '../../platform/errors.ts';

/**
 * The largest photo we decode: 64 megapixels is above any phone camera (48 MP is 8000×6000),
 * and at 4 bytes a pixel keeps one decode near 256 MB. A PNG of zeros compresses about
 * 1000:1, so without a bound a 48 KB upload asks for gigabytes of memory.
 */
export const MAX_IMAGE_PIXELS = 64_000_000;

/** The image types we re-encode; sharp's prebuilt libvips reads HEIF only with AVIF inside, not HEIC. */
const REENCODED_IMAGES = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' } as const;

export interface SanitisedFile {
  bytes: Buffer;
  mediaType: string;
}

const refused = (code: 'validation_failed' | 'payload_too_large' | 'unsupported_media_type', rule: string) =>
  new AppError(code, rule, { errors: [{ field: 'file', rule }] });

/**
 * Makes an uploaded file safe to keep and to show to the other parties. A photo carries its
 * author's name, the camera's serial and where it was taken (EXIF, GPS, XMP, IPTC, maker notes,
 * an embedded thumbnail of the uncropped picture); experts and sellers must see none of it. So
 * images are decoded and re-encoded with no metadata at all, the EXIF orientation applied to the
 * pixels first so the picture still stands the right way up. PDFs cannot be rewritten without
 * risk of changing what a document says, so they are kept as sent if they hold nothing active,
 * and refused otherwise.
 */
export async function sanitiseEvidence(bytes: Buffer, mediaType: string): Promise<SanitisedFile> {
  if (mediaType === 'application/pdf') {
    await assertPassivePdf(bytes);
    return { bytes, mediaType };
  }
  const format = REENCODED_IMAGES[mediaType as keyof typeof REENCODED_IMAGES];
  if (!format) {
    throw refused(
      'unsupported_media_type',
      `${mediaType} cannot be cleaned of its metadata; send JPEG, PNG or WebP`,
    );
  }
  return { bytes: await stripImageMetadata(bytes, format), mediaType };
}

async function stripImageMetadata(bytes: Buffer, format: 'jpeg' | 'png' | 'webp'): Promise<Buffer> {
  // Loaded with the first photo, like pdf-lib above: libvips is about 25 MB of RSS at rest.
  const { default: sharp } = await import('sharp');
  // The header alone gives the size, so a bomb is refused before any pixel is decoded.
  const header = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch(() => null);
  if (!header?.width || !header.height)
    throw refused('validation_failed', 'the image could not be read (damaged or truncated)');
  if (header.width * header.height > MAX_IMAGE_PIXELS) {
    throw refused(
      'payload_too_large',
      `the image is ${header.width}×${header.height} pixels; at most ${MAX_IMAGE_PIXELS / 1_000_000} megapixels are accepted`,
    );
  }
  try {
    // limitInputPixels again on the decode itself: the header check and the decoder must agree.
    // Sharp writes no metadata unless asked (withMetadata/keepExif), and rotate() with no angle
    // applies the EXIF orientation and then drops the tag.
    const image = sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' }).rotate();
    if (format === 'jpeg') return await image.jpeg({ quality: 90, mozjpeg: true }).toBuffer();
    if (format === 'png') return await image.png().toBuffer();
    return await image.webp({ quality: 90 }).toBuffer();
  } catch (e) {
    throw refused('validation_failed', `the image could not be decoded: ${(e as Error).message}`);
  }
}

/**
 * Names that make a PDF act when opened or clicked: scripts, actions on open or on page and
 * field events, launching programs, XFA forms (which carry their own scripts).
 */
const ACTIVE_PDF_KEYS = new Set(['JavaScript', 'JS', 'OpenAction', 'AA', 'Launch', 'XFA']);
const ACTIVE_ACTION_TYPES = new Set(['JavaScript', 'Launch', 'ImportData']);

/**
 * A PDF's name may spell letters as #xx, in either case (/#4aavaScript, /J#53); pdf-lib
 * decodes only upper-case hex, so names are decoded again here.
 */
const plainName = (name: PDFName): string =>
  name
    .decodeText()
    .replace(/#([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

/**
 * Refuses a PDF with JavaScript or automatic actions. We parse it with pdf-lib rather than
 * scanning bytes: most PDFs keep their dictionaries in compressed object streams, which a byte
 * scan cannot read, and pdf-lib inflates them and reads every object in the file (every revision,
 * not only the ones the last cross-reference table points to). A byte scan stays as a second,
 * independent check for objects the parser skipped as malformed, for the long names only: a
 * three-byte name like /JS or /AA turns up by chance in the compressed data of most large PDFs.
 * Encrypted PDFs are refused: their streams, object streams included, cannot be inspected.
 */
export async function assertPassivePdf(bytes: Buffer): Promise<void> {
  const rawToken = /\/(JavaScript|OpenAction|Launch)(?![A-Za-z0-9#])/.exec(bytes.toString('latin1'));
  if (rawToken) throw activePdf(rawToken[1] as string);
  const lib: PdfLib = await import('pdf-lib');
  let document: PDFDocument;
  try {
    document = await lib.PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
  } catch (e) {
    throw refused('validation_failed', `the PDF could not be read: ${(e as Error).message}`);
  }
  if (document.isEncrypted)
    throw refused('validation_failed', 'encrypted PDFs cannot be checked for scripts; send it unprotected');
  for (const [, object] of document.context.enumerateIndirectObjects()) {
    const active = activeNameIn(lib, object);
    if (active) throw activePdf(active);
  }
}

function activePdf(name: string): AppError {
  return refused('validation_failed', `PDFs with scripts or automatic actions are refused (found /${name})`);
}

function activeNameIn(lib: PdfLib, object: PDFObject, depth = 0): string | null {
  const { PDFDict, PDFName, PDFStream } = lib;
  // Direct objects nest; indirect references are visited on their own by the caller's loop.
  if (depth > 64) return null;
  const dict = object instanceof PDFStream ? object.dict : object instanceof PDFDict ? object : null;
  if (dict) {
    for (const [key, value] of dict.entries()) {
      const name = plainName(key);
      if (ACTIVE_PDF_KEYS.has(name)) return name;
      if (name === 'S' && value instanceof PDFName && ACTIVE_ACTION_TYPES.has(plainName(value)))
        return plainName(value);
      const nested = activeNameIn(lib, value, depth + 1);
      if (nested) return nested;
    }
    return null;
  }
  if ('asArray' in object && typeof object.asArray === 'function') {
    for (const item of object.asArray() as PDFObject[]) {
      const nested = activeNameIn(lib, item, depth + 1);
      if (nested) return nested;
    }
  }
  return null;
}
