import { sql } from 'kysely';
import type { Queryable } from '../platform/db/sql.ts';
import { type MasterKeys, masterKeys } from './master-keys.ts';
import { blindIndex, ERASED, isSealed, newDataKey, open, seal, unwrapKey, wrapKey } from './sealing.ts';

/**
 * The one place personal data is sealed and opened. Stores call these with the customer the
 * data belongs to; each customer's data key is unwrapped at most once per transaction.
 *
 * Unwrapped keys are cached per transaction (a WeakMap on the transaction object), never on
 * the long-lived pool: they leave memory with the transaction, and an erasure committed by
 * another process is seen by the next transaction.
 */

const BLIND_INDEX_OWNER = 'blind-index';
/** The data_keys row of a customer's key. */
export const customerOwner = (customerId: string) => `customer:${customerId}`;
/** The same owner, for a statement that joins the keys of many customers (a column of ids). */
export const customerOwnerOf = (customerIdColumn: string) =>
  sql<string>`'customer:' || ${sql.ref(customerIdColumn)}`;

/**
 * What a statement that joins a customer's key row as `dk` (`left join data_keys dk on dk.owner =
 * …`) selects beside its own columns, to hand to `knownCustomerDataKey` instead of reading the row
 * again: the filing context, the payout settlement's claim lock and the mail lease do.
 */
export const CUSTOMER_DATA_KEY_COLUMNS = sql`dk.owner is not null as dk_found, dk.wrapped_key as dk_wrapped_key, dk.master_key_id as dk_master_key_id`;
export interface CustomerDataKeyColumns {
  dk_found: boolean;
  dk_wrapped_key: string | null;
  dk_master_key_id: string | null;
}

/** A destroyed key is `null`: the values it sealed are gone for good. */
const keyCache = new WeakMap<object, Map<string, Promise<Buffer | null>>>();

/**
 * A batch read outside a transaction (a page of claims) may pass its own scope object, so the
 * keys it unwraps are shared by the batch and dropped with it.
 */
export type KeyScope = object;

function cacheOf(db: Queryable, scope?: KeyScope): Map<string, Promise<Buffer | null>> | null {
  const owner = scope ?? (db.isTransaction ? db : null);
  if (!owner) return null;
  let cache = keyCache.get(owner);
  if (!cache) {
    cache = new Map();
    keyCache.set(owner, cache);
  }
  return cache;
}

/**
 * The scope in which one caller's several opens share a customer's key: its own if it has one,
 * else the transaction (whose cache `cacheOf` keys by it), else a fresh one: outside a transaction
 * nothing is cached otherwise, and each open would read the key again.
 */
export const sharedKeyScope = (db: Queryable, scope?: KeyScope): KeyScope =>
  scope ?? (db.isTransaction ? db : {});

function unwrapWith(
  keys: MasterKeys,
  row: { owner: string; wrapped_key: string; master_key_id: string | null },
) {
  const master = [keys.current, keys.previous].find((k) => k?.id === row.master_key_id);
  if (!master) {
    throw new Error(
      `the data key of ${row.owner} was wrapped by master key ${row.master_key_id}, which is not configured ` +
        '(set REDRESS_MASTER_KEY_PREVIOUS to it while rotating)',
    );
  }
  return unwrapKey(master.key, row.wrapped_key, row.owner);
}

async function loadKey(db: Queryable, owner: string, create: boolean): Promise<Buffer | null> {
  const row = await db
    .selectFrom('data_keys')
    .select(['owner', 'wrapped_key', 'master_key_id'])
    .where('owner', '=', owner)
    .executeTakeFirst();
  if (row) return row.wrapped_key ? unwrapWith(masterKeys(), { ...row, wrapped_key: row.wrapped_key }) : null;
  if (!create) return null;
  const { current } = masterKeys();
  const key = newDataKey();
  // Two first writers for one customer: the loser's insert does nothing and it reads the winner's key.
  const inserted = await db
    .insertInto('data_keys')
    .values({
      owner,
      wrapped_key: wrapKey(current.key, key, owner),
      master_key_id: current.id,
    })
    .onConflict((oc) => oc.column('owner').doNothing())
    .returning('owner')
    .executeTakeFirst();
  return inserted ? key : loadKey(db, owner, false);
}

function keyFor(db: Queryable, owner: string, create: boolean, scope?: KeyScope): Promise<Buffer | null> {
  const cache = cacheOf(db, scope);
  const cached = cache?.get(owner);
  if (cached) return cached;
  // The cache holds the very promise the caller awaits: a second, unawaited copy would turn a
  // failed read (a connection lost mid-transaction) into an unhandled rejection.
  const loading = loadKey(db, owner, create).then(
    (key) => {
      // A missing key is not cached: a later seal in the same transaction must create it.
      if (!key) cache?.delete(owner);
      return key;
    },
    (error: unknown) => {
      cache?.delete(owner);
      throw error;
    },
  );
  cache?.set(owner, loading);
  return loading;
}

/**
 * A customer's data key row read by a caller's own statement (CUSTOMER_DATA_KEY_COLUMNS), put in
 * the transaction's cache (or the batch's scope) so sealing and opening do not read it again.
 * A missing row is not cached: the first seal creates the key, as usual.
 */
export function knownCustomerDataKey(
  db: Queryable,
  customerId: string,
  row: CustomerDataKeyColumns,
  scope?: KeyScope,
): void {
  const cache = cacheOf(db, scope);
  if (!cache || !row.dk_found) return;
  const owner = customerOwner(customerId);
  if (cache.has(owner)) return;
  cache.set(
    owner,
    Promise.resolve(
      row.dk_wrapped_key
        ? unwrapWith(masterKeys(), {
            owner,
            wrapped_key: row.dk_wrapped_key,
            master_key_id: row.dk_master_key_id,
          })
        : null,
    ),
  );
}

/** Seals a customer's value, creating the customer's data key on first use. */
export async function sealPersonal(
  db: Queryable,
  customerId: string,
  field: string,
  value: string,
): Promise<string> {
  const key = await keyFor(db, customerOwner(customerId), true);
  if (!key)
    throw new Error(`the personal data of customer ${customerId} was erased; nothing new is sealed for them`);
  return seal(key, value, `${customerOwner(customerId)}:${field}`);
}

/**
 * Opens a customer's value. Values written before sealing began are returned as they are;
 * values whose key was destroyed read as "[erased]".
 */
export async function openPersonal(
  db: Queryable,
  customerId: string,
  field: string,
  value: string,
  scope?: KeyScope,
): Promise<string> {
  if (!isSealed(value)) return value;
  const key = await keyFor(db, customerOwner(customerId), false, scope);
  return key ? open(key, value, `${customerOwner(customerId)}:${field}`) : ERASED;
}

/** JSON values (damages) are sealed as one JSON string; an erased one opens as `erased`. */
export async function sealPersonalJson(db: Queryable, customerId: string, field: string, value: unknown) {
  return sealPersonal(db, customerId, field, JSON.stringify(value));
}

export async function openPersonalJson<T>(
  db: Queryable,
  customerId: string,
  field: string,
  value: unknown,
  erased: T,
  scope?: KeyScope,
): Promise<T> {
  if (!isSealed(value)) return value as T;
  const opened = await openPersonal(db, customerId, field, value, scope);
  return opened === ERASED ? erased : (JSON.parse(opened) as T);
}

export async function blindIndexOf(db: Queryable, field: 'name' | 'email', value: string): Promise<string> {
  const key = await keyFor(db, BLIND_INDEX_OWNER, true);
  if (!key) throw new Error('the blind index key was destroyed');
  return blindIndex(key, field, value);
}

/** Crypto-shredding: the wrapped key is overwritten; every value it sealed is unreadable from now on. */
export async function destroyCustomerKey(db: Queryable, customerId: string, at: Date): Promise<void> {
  const owner = customerOwner(customerId);
  await db
    .insertInto('data_keys')
    .values({ owner, wrapped_key: null, master_key_id: null, destroyed_at: at })
    .onConflict((oc) =>
      oc.column('owner').doUpdateSet({ wrapped_key: null, master_key_id: null, destroyed_at: at }),
    )
    .execute();
  cacheOf(db)?.set(owner, Promise.resolve(null));
}

/**
 * Master key rotation: every data key wrapped by another master key is unwrapped (with the
 * previous key) and wrapped again under the current one. The data it seals is not touched.
 */
export async function rewrapDataKeys(db: Queryable): Promise<{ rewrapped: number; current: string }> {
  const keys = masterKeys();
  const stale = await db
    .selectFrom('data_keys')
    .select(['owner', 'wrapped_key', 'master_key_id'])
    .where('wrapped_key', 'is not', null)
    .where('master_key_id', '!=', keys.current.id)
    .forUpdate()
    .execute();
  for (const row of stale) {
    const key = unwrapWith(keys, { ...row, wrapped_key: row.wrapped_key ?? '' });
    await db
      .updateTable('data_keys')
      .set({ wrapped_key: wrapKey(keys.current.key, key, row.owner), master_key_id: keys.current.id })
      .where('owner', '=', row.owner)
      .execute();
  }
  return { rewrapped: stale.length, current: keys.current.id };
}

/**
 * The data keys of many customers at once (an import batch): one read, one write for the keys
 * still missing, instead of two round trips per customer. A customer whose key was destroyed
 * maps to null. The keys join the transaction's cache, so `sealPersonal` later in the same
 * transaction finds them.
 */
export async function customerDataKeys(
  db: Queryable,
  customerIds: readonly string[],
): Promise<Map<string, Buffer | null>> {
  const keys = new Map<string, Buffer | null>();
  if (customerIds.length === 0) return keys;
  const owners = customerIds.map(customerOwner);
  const stored = await db
    .selectFrom('data_keys')
    .select(['owner', 'wrapped_key', 'master_key_id'])
    .where('owner', 'in', owners)
    .execute();
  const master = masterKeys();
  const byOwner = new Map<string, Buffer | null>();
  for (const row of stored) {
    byOwner.set(
      row.owner,
      row.wrapped_key ? unwrapWith(master, { ...row, wrapped_key: row.wrapped_key }) : null,
    );
  }
  const fresh = owners.filter((o) => !byOwner.has(o)).map((owner) => ({ owner, key: newDataKey() }));
  if (fresh.length) {
    const inserted = await db
      .insertInto('data_keys')
      .values(
        fresh.map((f) => ({
          owner: f.owner,
          wrapped_key: wrapKey(master.current.key, f.key, f.owner),
          master_key_id: master.current.id,
        })),
      )
      .onConflict((oc) => oc.column('owner').doNothing())
      .returning('owner')
      .execute();
    const won = new Set(inserted.map((r) => r.owner));
    for (const f of fresh) {
      // A concurrent first writer won: its key is the one on file.
      byOwner.set(f.owner, won.has(f.owner) ? f.key : await loadKey(db, f.owner, false));
    }
  }
  const cache = cacheOf(db);
  for (const [index, id] of customerIds.entries()) {
    const key = byOwner.get(owners[index] as string) ?? null;
    keys.set(id, key);
    if (key) cache?.set(customerOwner(id), Promise.resolve(key));
  }
  return keys;
}

/** Seals a customer's value with a key already in hand (from `customerDataKeys`). */
export function sealWithKey(key: Buffer, customerId: string, field: string, value: string): string {
  return seal(key, value, `${customerOwner(customerId)}:${field}`);
}
