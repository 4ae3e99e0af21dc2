import { sql } from 'kysely';
import type { Db } from '../platform/db/sql.ts';
import { type IdentityKey, keyedIdentityHash, LEGACY_KEY_ID } from './identities.ts';

const BATCH = 1000;

/**
 * Re-keys identity rows stored as plain SHA-256 before hashes were keyed: the keyed hash is an
 * HMAC of that digest, so the value itself is not needed. Runs at start-up in batches, each its
 * own transaction; a second process doing the same at once only finds fewer rows.
 */
export async function rekeyLegacyIdentities(db: Db, key: IdentityKey): Promise<number> {
  let total = 0;
  for (const table of ['customer_identities', 'seller_identities'] as const) {
    const owner = table === 'customer_identities' ? 'customer_id' : 'seller_id';
    for (;;) {
      const done = await db.transaction().execute(async (tx) => {
        const { rows } = await sql<{ owner: string; kind: string; value_hash: string }>`
          select ${sql.ref(owner)} as owner, kind, value_hash from ${sql.table(table)}
          where key_id = ${LEGACY_KEY_ID} limit ${BATCH} for update skip locked`.execute(tx);
        for (const row of rows) {
          await sql`
            update ${sql.table(table)} set value_hash = ${keyedIdentityHash(key, row.value_hash)}, key_id = ${key.id}
            where ${sql.ref(owner)} = ${row.owner} and kind = ${row.kind} and value_hash = ${row.value_hash}
              and key_id = ${LEGACY_KEY_ID}`.execute(tx);
        }
        return rows.length;
      });
      total += done;
      if (done < BATCH) break;
    }
  }
  return total;
}
