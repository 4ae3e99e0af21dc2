import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient, QueryResult, RawBuilder } from 'kysely';
import type pg from 'pg';
import type { Queryable } from './sql.ts';

/**
 * PostgreSQL parses, rewrites and plans an unnamed statement at every run. For the screening
 * facts statement (twenty subqueries) that cost about 2.5 ms of server CPU per filing, more than
 * running it (docs/performance.md, fourth session). A text registered here is sent by the `pg`
 * driver as a named prepared statement instead: each pooled connection parses it once, and under
 * `plan_cache_mode = auto` the server keeps a generic plan after five runs when it costs no more
 * than the custom ones (the facts statement's does: its parameters are keys, not ranges to
 * estimate). The SQL text, its values and Kysely's log are unchanged, so statement counts and
 * snapshots see no difference. (A pooler in transaction mode, such as PgBouncer before 1.21,
 * cannot carry named statements: Redress expects its own connections to PostgreSQL.)
 *
 * Only fixed texts belong here (the same SQL at every run, every value a parameter): each text
 * holds a prepared statement and its cached plan on every connection, for the connection's life.
 * The registry is capped, so a connection never holds more than MAX_PREPARED; a text past the
 * cap runs unnamed, as before. PGlite has no `pg` client and runs these as any other statement.
 */
export const MAX_PREPARED = 16;

/** Names for fixed SQL texts, at most `max` of them: a text past the cap has none. */
export function preparedNames(max: number) {
  const names = new Map<string, string>();
  return {
    register(text: string): void {
      if (names.has(text) || names.size >= max) return;
      // A name from the text: the same in every process, and visible in pg_prepared_statements.
      names.set(text, `redress_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`);
    },
    nameOf: (text: string): string | undefined => names.get(text),
  };
}

const registered = preparedNames(MAX_PREPARED);

/** Runs `query` (an `sql` template with fixed text) as a prepared statement on PostgreSQL. */
export async function executePrepared<R>(db: Queryable, query: RawBuilder<R>): Promise<QueryResult<R>> {
  const compiled = query.compile(db);
  registered.register(compiled.sql);
  return db.executeQuery(compiled);
}

/**
 * The pool Kysely's PostgreSQL driver is given: the real pool, whose clients send registered
 * texts as named statements. The driver calls `client.query(text, values)` and has no option for
 * a name, so the name is added here, between the two; every other call passes through, and the
 * `pg` clients themselves are not changed (the raw client of pg-client.ts, COPY's, is the pool's).
 */
export function preparingPool(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    const query = (text: unknown, values?: unknown[]) => {
      const name = typeof text === 'string' ? registered.nameOf(text) : undefined;
      if (name) return client.query({ name, text: text as string, values });
      return (client.query as (text: unknown, values?: unknown[]) => unknown).call(client, text, values);
    };
    return { query: query as PostgresPoolClient['query'], release: () => client.release() };
  };
  return {
    connect: async () => {
      const client = await pool.connect();
      let found = wrapped.get(client);
      if (!found) {
        found = wrap(client);
        wrapped.set(client, found);
      }
      return found;
    },
    end: () => pool.end(),
  };
}
