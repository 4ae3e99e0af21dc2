import { createHash } from 'node:crypto';
import type { Queryable } from '../platform/db/sql.ts';

export type IdentityKind = 'address' | 'phone' | 'payment_fingerprint' | 'device_id' | 'email';

/**
 * Identity facts are compared, never shown: they are normalised and kept only as SHA-256, so
 * screening can link two accounts without storing a second copy of anyone's address.
 */
export function identityHash(kind: IdentityKind, value: string): string {
  const normalised =
    kind === 'phone'
      ? value.replace(/[^\d+]/g, '')
      : value
          .toLowerCase()
          .normalize('NFKC')
          .replace(/[^\p{L}\p{N}@.]+/gu, ' ')
          .trim();
  return createHash('sha256').update(`redress-identity:${kind}:${normalised}`).digest('hex');
}

export async function replaceIdentities(
  db: Queryable,
  table: 'customer_identities' | 'seller_identities',
  ownerId: string,
  values: { kind: IdentityKind; value: string | null | undefined }[],
): Promise<void> {
  const rows = values
    .filter((v): v is { kind: IdentityKind; value: string } => Boolean(v.value?.trim()))
    .map((v) => ({ kind: v.kind, value_hash: identityHash(v.kind, v.value) }));
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
