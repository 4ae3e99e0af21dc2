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
export const json = (value: unknown) => jsonText(JSON.stringify(value));

/** A jsonb parameter already serialised (a reusable statement's value, see reusable-statement.ts). */
export const jsonText = (text: string) => sql`${text}::text::jsonb`;
