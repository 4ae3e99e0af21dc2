import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Queryable } from '../platform/db/sql.ts';

export type IdentityKind = 'address' | 'phone' | 'payment_fingerprint' | 'device_id' | 'email';

/**
 * The server secret that keys identity hashes. Its id is derived from the secret itself, so a
 * rotation needs one variable, and the id says nothing about the secret.
 */
export interface IdentityKey {
  id: string;
  secret: Buffer;
}

/** Rows hashed before hashes were keyed: plain SHA-256, re-keyed at start-up. */
export const LEGACY_KEY_ID = 'sha256';

export function identityKeyFrom(secret: string | Buffer): IdentityKey {
  const material = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
  const id = `ik_${createHmac('sha256', material).update('redress-identity-key-id').digest('hex').slice(0, 12)}`;
  return { id, secret: material };
}

/**
 * The process's identity key, set once at start-up by the runtime from configuration. It is a
 * module setting rather than a parameter because every writer of customers and sellers (routes,
 * import, demo seed, simulation) would otherwise carry it. Code that never starts the runtime
 * (unit tests, benches) gets a random key of its own: its hashes match each other, and a real
 * server never uses it.
 */
let processKey: IdentityKey | null = null;

export function setProcessIdentityKey(key: IdentityKey): void {
  processKey = key;
}

export function currentIdentityKey(): IdentityKey {
  processKey ??= identityKeyFrom(randomBytes(32));
  return processKey;
}

export function normaliseIdentity(kind: IdentityKind, value: string): string {
  return kind === 'phone'
    ? value.replace(/[^\d+]/g, '')
    : value
        .toLowerCase()
        .normalize('NFKC')
        .replace(/[^\p{L}\p{N}@.]+/gu, ' ')
        .trim();
}

/** The unkeyed digest rows were stored as before keying; kept to re-key them, not to compare. */
export function legacyIdentityDigest(kind: IdentityKind, value: string): string {
  return createHash('sha256')
    .update(`redress-identity:${kind}:${normaliseIdentity(kind, value)}`)
    .digest('hex');
}

/**
 * Keyed with the server's secret (HMAC-SHA256): a plain hash of a phone number or an address
 * is recovered by trying every candidate (a phone number took 6.5 s), but without the key
 * there is nothing to try candidates against. The HMAC is over the legacy digest so that rows
 * stored before keying can be re-keyed in place, without their values.
 */
export function keyedIdentityHash(key: IdentityKey, legacyDigest: string): string {
  return createHmac('sha256', key.secret).update(legacyDigest).digest('hex');
}

/**
 * Identity facts are compared, never shown: they are normalised and kept only as a keyed hash,
 * with the id of the key, so screening can link two accounts without storing anyone's address.
 */
export function identityHash(
  kind: IdentityKind,
  value: string,
  key: IdentityKey = currentIdentityKey(),
): { keyId: string; hash: string } {
  return { keyId: key.id, hash: keyedIdentityHash(key, legacyIdentityDigest(kind, value)) };
}

export async function replaceIdentities(
  db: Queryable,
  table: 'customer_identities' | 'seller_identities',
  ownerId: string,
  values: { kind: IdentityKind; value: string | null | undefined }[],
): Promise<void> {
  const rows = values
    .filter((v): v is { kind: IdentityKind; value: string } => Boolean(v.value?.trim()))
    .map((v) => {
      const { keyId, hash } = identityHash(v.kind, v.value);
      return { kind: v.kind, value_hash: hash, key_id: keyId };
    });
  if (table === 'customer_identities') {
    await db.deleteFrom('customer_identities').where('customer_id', '=', ownerId).execute();
    if (rows.length) {
      await db
        .insertInto('customer_identities')
        .values(rows.map((r) => ({ ...r, customer_id: ownerId })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  } else {
    await db.deleteFrom('seller_identities').where('seller_id', '=', ownerId).execute();
    if (rows.length) {
      await db
        .insertInto('seller_identities')
        .values(rows.map((r) => ({ ...r, seller_id: ownerId })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
}
