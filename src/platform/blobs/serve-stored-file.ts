import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { StoredBlob } from './blob-store.ts';

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'application/pdf': 'pdf',
};

/**
 * Sends an uploaded file so that no browser runs it: always a download (attachment), never
 * sniffed into another type (an image that is also valid HTML), and, if opened anyway, in a
 * sandbox with no scripts, forms or same-origin access to our cookies. The name offered is the
 * record's id, never the uploader's file name, which often carries a person's name.
 */
export function sendStoredFile(
  reply: FastifyReply,
  file: { bytes: Buffer | StoredBlob; mediaType: string; recordId: string },
): FastifyReply {
  const extension = EXTENSIONS[file.mediaType] ?? 'bin';
  // A stored blob streams chunk by chunk (PostgresBlobStore reads one row at a time), with its
  // length known up front so the client sees a Content-Length, not a chunked reply.
  const body = Buffer.isBuffer(file.bytes) ? file.bytes : Readable.from(file.bytes.chunks);
  if (!Buffer.isBuffer(file.bytes)) reply.header('content-length', file.bytes.sizeBytes);
  return reply
    .type(file.mediaType)
    .header('content-disposition', `attachment; filename="${file.recordId}.${extension}"`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', 'sandbox')
    .header('cache-control', 'private, no-store')
    .send(body);
}
