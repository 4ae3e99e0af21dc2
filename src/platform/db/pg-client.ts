import { Kysely, type LogConfig, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { Database } from './database.ts';
import type { Db, Tx } from './sql.ts';

/**
 * A transaction whose raw `pg` client is at hand, for the little Kysely cannot send: COPY FROM
 * STDIN through pg-copy-streams, which is a stream submitted to the client, not a statement.
 *
 * Kysely keeps a transaction's connection private (a `#client` field), and reaching into it, or
 * matching pool check-outs to Kysely connections by timing, would break silently on an upgrade.
 * Instead the transaction is run by a short-lived Kysely of its own whose "pool" checks one client
 * out of the real pool and remembers it: Kysely's transaction takes exactly one connection, so the
 * callback's `tx` and `client` are the same session, every other statement still goes through
 * Kysely (with the same log, so statement counts stay true), and Kysely gives the client back to
 * the pool when the transaction ends, as it would its own. Constructing a Kysely is a few objects,
 * nothing next to a transaction.
 *
 * `openPostgres` registers its pool here; a database without one (PGlite, which has no `pg`
 * client) runs an ordinary transaction and hands the callback `null`, so callers keep a portable
 * path beside the COPY one.
 */

const pools = new WeakMap<Db, { pool: pg.Pool; log: LogConfig | undefined }>();

export function registerPgPool(db: Db, pool: pg.Pool, log?: LogConfig): void {
  pools.set(db, { pool, log });
}

export async function transactionWithClient<T>(
  db: Db,
  work: (tx: Tx, client: pg.PoolClient | null) => Promise<T>,
): Promise<T> {
  const source = pools.get(db);
  if (!source) return db.transaction().execute((tx) => work(tx, null));
  let client: pg.PoolClient | null = null;
  const single = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: {
        connect: async () => {
          client = await source.pool.connect();
          return client;
        },
        // The real pool belongs to openPostgres: this Kysely is never destroyed, and must not end it.
        end: async () => undefined,
      },
    }),
    ...(source.log ? { log: source.log } : {}),
  });
  return single.transaction().execute((tx) => {
    if (!client) throw new Error('the transaction has no connection');
    return work(tx, client);
  });
}
