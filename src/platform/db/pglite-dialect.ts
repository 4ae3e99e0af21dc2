import { type PGlite, parse as pgliteParse, protocol } from '@electric-sql/pglite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { breathe } from '../event-loop-turns.ts';
import { processNames, type StatementNames } from './prepared-statements.ts';

/**
 * A Kysely dialect for PGlite, written here rather than taken from npm: the published
 * `kysely-pglite` pulls in a code generator and a CLI framework (dozens of packages) and
 * `kysely-pglite-dialect` refuses PGlite 0.5. What matters is small: PGlite has exactly one
 * session, so a transaction must own it until it ends. A queue (mutex) hands the one
 * connection to one user at a time; everything else is Kysely's own Postgres support.
 */
export class PGliteDialect implements Dialect {
  readonly #pglite: PGlite;
  readonly #line: ConnectionLine;
  readonly #urgent: boolean;
  readonly #names: StatementNames;

  /**
   * Two dialects over one PGlite share its line (`line`); one made `urgent` is served before
   * every ordinary user waiting (see openPglite's `urgent` database). `names` is the process's
   * unless a test brings its own.
   */
  constructor(
    pglite: PGlite,
    options: { line?: ConnectionLine; urgent?: boolean; names?: StatementNames } = {},
  ) {
    this.#pglite = pglite;
    this.#line = options.line ?? new ConnectionLine();
    this.#urgent = options.urgent ?? false;
    this.#names = options.names ?? processNames;
  }

  createAdapter() {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PGliteDriver(this.#pglite, this.#line, this.#urgent, this.#names);
  }

  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }

  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

/**
 * The line for PGlite's one session: one user at a time, in the order they asked, except that an
 * urgent user goes before every ordinary one already waiting (after the urgent ones before it).
 */
export class ConnectionLine {
  #busy = false;
  readonly #waiting: { urgent: boolean; go: () => void }[] = [];

  async take(urgent: boolean): Promise<void> {
    if (!this.#busy) {
      this.#busy = true;
      return;
    }
    await new Promise<void>((go) => {
      const firstOrdinary = urgent ? this.#waiting.findIndex((w) => !w.urgent) : -1;
      if (firstOrdinary === -1) this.#waiting.push({ urgent, go });
      else this.#waiting.splice(firstOrdinary, 0, { urgent, go });
    });
  }

  /** Hands the session to the next in line (it stays busy), or frees it. */
  give(): void {
    const next = this.#waiting.shift();
    if (next) next.go();
    else this.#busy = false;
  }
}

class PGliteDriver implements Driver {
  readonly #connection: PGliteConnection;
  readonly #line: ConnectionLine;
  readonly #urgent: boolean;

  constructor(pglite: PGlite, line: ConnectionLine, urgent: boolean, names: StatementNames) {
    this.#connection = new PGliteConnection(pglite, names);
    this.#line = line;
    this.#urgent = urgent;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#line.take(this.#urgent);
    this.#connection.release = () => this.#line.give();
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await (connection as PGliteConnection).run(`begin${isolation}`);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).run('commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).run('rollback');
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as PGliteConnection).release();
  }

  async destroy(): Promise<void> {}
}

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;
  /** The named statements this PGlite's session has parsed (shared by every dialect over it). */
  readonly #prepared: Map<string, number[]>;
  readonly #names: StatementNames;
  release: () => void = () => {};

  constructor(pglite: PGlite, names: StatementNames) {
    this.#pglite = pglite;
    this.#names = names;
    this.#prepared = parsedStatementsOf(pglite);
  }

  async run(sql: string): Promise<void> {
    await this.#pglite.exec(sql);
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiledQuery;
    const name = this.#names.nameOf(sql, parameters);
    // Without parameters a text may hold several statements (migrations); only the simple
    // protocol (exec) accepts that, and it answers with one result per statement.
    const result = await (name
      ? this.#runPrepared(name, sql, parameters)
      : parameters.length === 0
        ? this.#pglite.exec(sql).then((results) => results.at(-1) ?? { rows: [], affectedRows: 0 })
        : this.#pglite.query(sql, parameters as unknown[])
    ).finally(giveTurnAfterStatement);
    const isWrite = /^\s*(insert|update|delete|merge)/i.test(sql);
    return {
      rows: result.rows as R[],
      ...(isWrite && result.affectedRows !== undefined
        ? { numAffectedRows: BigInt(result.affectedRows) }
        : {}),
    };
  }

  /**
   * A named statement, as prepared-statements.ts decides for both engines. PGlite's `query` parses,
   * describes and plans its text at every run, in six calls into PostgreSQL, on this process's
   * thread; here a text is parsed and described once per session, and each run is one call: bind,
   * describe the portal (its columns), execute, sync. Values are written and rows read by PGlite's
   * own serializers, parsers and result parsing, as `query` does (PGlite has no API for a named
   * statement: its protocol messages and `execProtocolStream` are public).
   */
  async #runPrepared(name: string, text: string, values: readonly unknown[]) {
    const pglite = this.#pglite;
    // The locks and the readiness check PGlite's own `query` takes, in its order: a statement
    // waiting while PGlite closes is refused ("PGlite is closing") instead of reaching a stopped
    // backend, and PGlite's own transactions and LISTEN are respected.
    return pglite._runExclusiveTransaction(() =>
      pglite._runExclusiveQuery(async () => {
        await pglite._checkReady();
        return this.#bindAndRun(name, text, values).catch((error: unknown) => {
          // As PGlite's `query` reports it: the statement that failed, with the error.
          if (error && typeof error === 'object') Object.assign(error, { query: text, params: values });
          throw error;
        });
      }),
    );
  }

  async #bindAndRun(name: string, text: string, values: readonly unknown[]) {
    const pglite = this.#pglite;
    let types = this.#prepared.get(name);
    if (!types) {
      const described = await pglite.execProtocolStream(
        joinMessages([
          // Closing a name the session does not hold is no error; one it holds from an attempt
          // that failed after its Parse is replaced instead of refusing the Parse.
          protocol.serialize.close({ type: 'S', name }),
          protocol.serialize.parse({ name, text }),
          protocol.serialize.describe({ type: 'S', name }),
          protocol.serialize.sync(),
        ]),
        { syncToFs: false },
      );
      types = pgliteParse.parseDescribeStatementResults(described);
      this.#prepared.set(name, types);
    }
    const parameterTypes = types;
    const messages = await pglite.execProtocolStream(
      joinMessages([
        protocol.serialize.bind({
          statement: name,
          values: values.map((value, index) => {
            if (value === null || value === undefined) return null;
            const serialize = pglite.serializers[parameterTypes[index] as number];
            return serialize ? serialize(value) : String(value);
          }),
        }),
        protocol.serialize.describe({ type: 'P' }),
        protocol.serialize.execute({}),
        protocol.serialize.sync(),
      ]),
    );
    return pgliteParse.parseResults(messages, pglite.parsers)[0] ?? { rows: [], affectedRows: 0 };
  }

  // biome-ignore lint/correctness/useYield: PGlite has no cursors; Kysely only needs the method to exist.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported on PGlite');
  }
}

/**
 * The named statements a PGlite's one session has parsed: name → its parameters' types. Kept per
 * PGlite, not per dialect: the urgent database and the ordinary one share the session
 * (connect.ts), and a second Parse of a name it holds fails ("prepared statement already exists").
 */
const parsedStatements = new WeakMap<PGlite, Map<string, number[]>>();
function parsedStatementsOf(pglite: PGlite): Map<string, number[]> {
  let parsed = parsedStatements.get(pglite);
  if (!parsed) {
    parsed = new Map();
    parsedStatements.set(pglite, parsed);
  }
  return parsed;
}

/**
 * After a statement, failed or not, the event loop gets a turn once the current one has gone
 * 8 ms (`breathe`, on the clock the whole process shares). PGlite runs a statement on this thread
 * and answers without waiting for I/O, so statement after statement (an import's chunks, a long
 * pass of the worker) ran in one turn of the event loop: an import of 50,000 orders held `/healthz`
 * for up to 2.6 s (docs/performance.md, eighth session). The session stays with its user meanwhile
 * (the connection line), so nothing of a transaction changes, and closing PGlite waits for the line
 * (connect.ts).
 */
const giveTurnAfterStatement = () => breathe();

/** Protocol messages sent in one call. */
function joinMessages(parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}
