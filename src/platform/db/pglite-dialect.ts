import type { PGlite } from '@electric-sql/pglite';
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

  /**
   * Two dialects over one PGlite share its line (`line`); one made `urgent` is served before
   * every ordinary user waiting (see openPglite's `urgent` database).
   */
  constructor(pglite: PGlite, options: { line?: ConnectionLine; urgent?: boolean } = {}) {
    this.#pglite = pglite;
    this.#line = options.line ?? new ConnectionLine();
    this.#urgent = options.urgent ?? false;
  }

  createAdapter() {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PGliteDriver(this.#pglite, this.#line, this.#urgent);
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

  constructor(pglite: PGlite, line: ConnectionLine, urgent: boolean) {
    this.#connection = new PGliteConnection(pglite);
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
  release: () => void = () => {};

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async run(sql: string): Promise<void> {
    await this.#pglite.exec(sql);
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    // Without parameters a text may hold several statements (migrations); only the simple
    // protocol (exec) accepts that, and it answers with one result per statement.
    const result =
      compiledQuery.parameters.length === 0
        ? ((await this.#pglite.exec(compiledQuery.sql)).at(-1) ?? { rows: [], affectedRows: 0 })
        : await this.#pglite.query<R>(compiledQuery.sql, compiledQuery.parameters as unknown[]);
    const isWrite = /^\s*(insert|update|delete|merge)/i.test(compiledQuery.sql);
    return {
      rows: result.rows as R[],
      ...(isWrite && result.affectedRows !== undefined
        ? { numAffectedRows: BigInt(result.affectedRows) }
        : {}),
    };
  }

  // biome-ignore lint/correctness/useYield: PGlite has no cursors; Kysely only needs the method to exist.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported on PGlite');
  }
}
