import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { randomBytesFromPool } from '../platform/random-pool.ts';

/**
 * AES-256-GCM from node:crypto, one operation per field. We pass over envelope libraries
 * (e.g. Tink, libsodium wrappers) because node:crypto already gives authenticated encryption
 * and the format below is a dozen lines we can read and test; a library would add a native
 * build or a WASM blob to every install for no gain in safety.
 *
 * A sealed value is text: `pd1.` + base64url(12-byte IV | ciphertext | 16-byte tag). The
 * associated data binds it to its owner and field, so a ciphertext copied into another
 * customer's row, or from a name into an e-mail column, fails to open instead of leaking.
 */

const PREFIX = 'pd1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/** What a reader gets in place of a value whose key was destroyed by an erasure. */
export const ERASED = '[erased]';

export const isSealed = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(PREFIX);

export function seal(key: Buffer, plaintext: string, associatedData: string): string {
  const iv = randomBytesFromPool(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** Throws when the value was altered, or sealed for another owner or field. */
export function open(key: Buffer, sealed: string, associatedData: string): string {
  if (!isSealed(sealed)) throw new Error('not a sealed value');
  const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('sealed value is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  return Buffer.concat([
    decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
    decipher.final(),
  ]).toString('utf8');
}

/** A data key wrapped by a master key: the same AEAD, with the key's owner as associated data. */
export const wrapKey = (masterKey: Buffer, dataKey: Buffer, owner: string): string =>
  seal(masterKey, dataKey.toString('base64'), `data-key:${owner}`);

export const unwrapKey = (masterKey: Buffer, wrapped: string, owner: string): Buffer =>
  Buffer.from(open(masterKey, wrapped, `data-key:${owner}`), 'base64');

export const newDataKey = (): Buffer => randomBytes(KEY_BYTES);

/**
 * Names and e-mails are compared after the same normalisation people expect from a search
 * box: case, surrounding and repeated spaces and Unicode forms do not matter.
 */
export function normaliseForIndex(value: string): string {
  return value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * A keyed blind index (HMAC-SHA-256): equal values give equal indexes, so an exact-match search
 * works, but without the index key nobody can test a guess against the column. The field name
 * is mixed in, so a name and an e-mail that happen to be equal do not share an index.
 */
export function blindIndex(indexKey: Buffer, field: 'name' | 'email', value: string): string {
  return createHmac('sha256', indexKey)
    .update(`${field}\n${normaliseForIndex(value)}`)
    .digest('hex');
}
