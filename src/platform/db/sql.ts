import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './database.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the pool or an open transaction: stores accept both so a use case can compose them. */
export type Queryable = Kysely<Database> | Transaction<Database>;

/**
 * jsonb parameters are sent as JSON text: `pg` would otherwise turn a JS array into a
 * Postgres array, and PGlite serialises by the column's type; text plus a cast is the same on both.
 */
export const json = (value: unknown) => {
  const raw = jsonText(JSON.stringify(value));
  jsonSources.set(raw, value);
  return raw;
};

const jsonSources = new WeakMap<object, unknown>();

/**
 * A value as the database gives it back once written: a `json()` parameter comes back parsed
 * from its text, anything else as it went in. Undefined for an expression that is not `json()`
 * (its result is the database's to compute). Lets a row be known without reading it back.
 */
export function storedValue(value: unknown): { value: unknown } | undefined {
  if (value === null || typeof value !== 'object' || !('toOperationNode' in value)) return { value };
  if (!jsonSources.has(value)) return undefined;
  const text = JSON.stringify(jsonSources.get(value));
  return { value: text === undefined ? null : JSON.parse(text) };
}

/** A jsonb parameter already serialised (a reusable statement's value, see reusable-statement.ts). */
export const jsonText = (text: string) => sql`${text}::text::jsonb`;
