import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient, QueryResult, RawBuilder } from 'kysely';
import type pg from 'pg';
import type { Queryable } from './sql.ts';

/**
 * PostgreSQL parses, rewrites and plans an unnamed statement at every run. Measured on the
 * intake bench (pg_stat_statements with `track_planning`), planning took about a third of the
 * server's time on the claim path: 1.3 ms a run for the safety step's category totals, 0.9 ms for
 * the payout settlement's claim lock, 0.2–0.4 ms for statements that run in 0.05 ms
 * (docs/performance.md, fifth session). A text named here is sent by the `pg` driver as a named
 * prepared statement instead: each pooled connection parses it once, and under
 * `plan_cache_mode = auto` the server keeps a generic plan after five runs when it costs no more
 * than the custom ones, and goes on planning each run when it would. The SQL text, its values and
 * Kysely's log are unchanged, so statement counts and snapshots see no difference. (A pooler in
 * transaction mode, such as PgBouncer before 1.21, cannot carry named statements: Redress expects
 * its own connections to PostgreSQL.)
 *
 * Texts are named two ways. `executePrepared` names its text at the first run (the screening
 * facts, the filing context, the narrative lookup: planning them costs more than running them).
 * Every other statement is named once the same text has been run AUTO_PREPARE_AFTER times by this
 * process, if it can be kept (`preparable`) and is small (MAX_AUTO_VALUES, MAX_AUTO_TEXT): that
 * catches the hot paths without a list to keep up to date, and leaves a one-off (an export, a
 * report run once) unnamed. Each named text holds a
 * prepared statement and its plan on every connection for the connection's life, so both
 * registries are capped; a text past its cap runs unnamed, as before. PGlite, whose one session
 * runs in this process, keeps the same names (pglite-dialect.ts).
 */
export const MAX_PREPARED = 16;
/**
 * How many texts are named automatically, at most, per process (see above). Each holds a prepared
 * statement and its plan on every connection; the texts named automatically are small (below).
 */
export const MAX_AUTO_PREPARED = 128;
/** A text is named automatically from its third run on. */
export const AUTO_PREPARE_AFTER = 3;
/**
 * Only texts with at most this many values, and this long, are named automatically: a multi-row
 * insert or a long `in (…)` list has a text per length, and a thousand rows' plan is large; such
 * texts would take the names the hot statements need and hold memory on every connection. (A
 * filing's held history has about 120 values, the screening facts 6 KB of text.)
 */
export const MAX_AUTO_VALUES = 200;
export const MAX_AUTO_TEXT = 16_384;
/** Texts counted towards AUTO_PREPARE_AFTER, or remembered as refused, before the count starts again. */
const MAX_COUNTED = 500;

/**
 * Whether a prepared statement of this text stays valid across a rolling upgrade. A statement
 * that returns every column (`select *`, `claims.*`, `returning *`) fails with "cached plan must
 * not change result type" once a migration adds a column to its table: the previous release's
 * processes, still running, would fail their requests until restarted. Only data statements are
 * named (PostgreSQL cannot plan a utility statement once), and only with parameters: a text the
 * driver sends without values goes by the simple protocol, which also runs several statements
 * in one text, and a name would change that.
 */
export function preparable(text: string, values: readonly unknown[] | undefined): boolean {
  if (!values || values.length === 0) return false;
  if (!/^\s*(select|insert|update|delete|with)\b/i.test(text)) return false;
  return !/\bselect\s+\*|\.\*|\breturning\s+\*/i.test(text);
}

/** A name from the text: the same in every process, and visible in pg_prepared_statements. */
const nameFor = (text: string) => `redress_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;

/** Names for fixed SQL texts, at most `max` of them: a text past the cap has none. */
export function preparedNames(max: number) {
  const names = new Map<string, string>();
  return {
    register(text: string): void {
      if (names.has(text) || names.size >= max) return;
      names.set(text, nameFor(text));
    },
    nameOf: (text: string): string | undefined => names.get(text),
  };
}

/**
 * Names for the texts run at least `after` times, at most `max` of them. `nameOf` counts a run
 * and answers with the text's name once it has one.
 */
export function automaticNames(max: number, after: number, maxCounted = MAX_COUNTED) {
  const names = new Map<string, string>();
  const runs = new Map<string, number>();
  return {
    /** The text's name if it has one, without counting a run. */
    named: (text: string): string | undefined => names.get(text),
    nameOf(text: string): string | undefined {
      const name = names.get(text);
      if (name || names.size >= max) return name;
      const seen = (runs.get(text) ?? 0) + 1;
      if (seen < after) {
        if (runs.size >= maxCounted) runs.clear();
        runs.set(text, seen);
        return undefined;
      }
      runs.delete(text);
      const named = nameFor(text);
      names.set(text, named);
      return named;
    },
  };
}

/**
 * How a process names its statements: the texts `executePrepared` registers, then the ones run
 * often enough. One per process (below); a test can make its own.
 */
export function statementNames(
  limits = { registered: MAX_PREPARED, automatic: MAX_AUTO_PREPARED, after: AUTO_PREPARE_AFTER },
) {
  const registered = preparedNames(limits.registered);
  const automatic = automaticNames(limits.automatic, limits.after);
  // Texts found not preparable, so the test is not run over a long text at every run (the number
  // of values is the text's, so the answer is too). Bounded as the run counts are.
  const refused = new Set<string>();
  return {
    register: registered.register,
    /** The name a statement is sent under, or undefined to send it unnamed. */
    nameOf(text: string, values: readonly unknown[] | undefined): string | undefined {
      const name = registered.nameOf(text) ?? automatic.named(text);
      if (name || text.length > MAX_AUTO_TEXT || (values?.length ?? 0) > MAX_AUTO_VALUES) return name;
      if (refused.has(text)) return undefined;
      if (!preparable(text, values)) {
        if (refused.size >= MAX_COUNTED) refused.clear();
        refused.add(text);
        return undefined;
      }
      return automatic.nameOf(text);
    },
  };
}

/** What a connection asks of the names: the one a statement is sent under, if any. */
export type StatementNames = Pick<ReturnType<typeof statementNames>, 'nameOf'>;

/** This process's names, for both engines (`preparingPool` here, pglite-dialect.ts). */
export const processNames = statementNames();

/** Runs `query` (an `sql` template with fixed text) as a prepared statement on PostgreSQL. */
export async function executePrepared<R>(db: Queryable, query: RawBuilder<R>): Promise<QueryResult<R>> {
  const compiled = query.compile(db);
  processNames.register(compiled.sql);
  return db.executeQuery(compiled);
}

/**
 * The pool Kysely's PostgreSQL driver is given: the real pool, whose clients send named texts as
 * prepared statements. The driver calls `client.query(text, values)` and has no option for a
 * name, so the name is added here, between the two; every other call passes through, and the
 * `pg` clients themselves are not changed (the raw client of pg-client.ts, COPY's, is the pool's).
 */
export function preparingPool(pool: pg.Pool, names = processNames): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    // Names this connection no longer holds: when `pg` cannot write a value (a BigInt in an object,
    // a cycle), it closes the named statement on the server but still counts it as parsed, so
    // every later run under that name would fail. Such a text goes unnamed on this connection.
    const lost = new Set<string>();
    const query = (text: unknown, values?: unknown[]) => {
      const name = typeof text === 'string' ? names.nameOf(text, values) : undefined;
      if (name && !lost.has(name)) {
        return client.query({ name, text: text as string, values }).catch((error: unknown) => {
          // A server's error (it has a severity) leaves the statement in place.
          if (!(error && typeof error === 'object' && 'severity' in error)) lost.add(name);
          throw error;
        });
      }
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
