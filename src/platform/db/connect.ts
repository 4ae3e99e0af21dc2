import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, type LogConfig, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';
import { registerPgPool } from './pg-client.ts';
import { ConnectionLine, PGliteDialect } from './pglite-dialect.ts';
import { preparingPool } from './prepared-statements.ts';

export type Engine = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: Engine;
  close(): Promise<void>;
  /**
   * Calls `onNotify` for each NOTIFY on `channel` committed by any session (PostgreSQL: a
   * dedicated connection that reconnects after a loss; PGlite: its in-process listener). A wake-up
   * only: a missed one is made good by the caller's poll. Returns the function that stops it.
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  /**
   * The same database for short work that must not wait behind every request in flight (the
   * payouts woken on commit): on PGlite, whose one session takes its users in turn, it is served
   * before the ordinary users waiting; absent on PostgreSQL, where a pool has no such line.
   */
  urgent?: Kysely<Database>;
}

const INT8_OID = 20;

/**
 * `pg` returns int8 (bigint, count(*)) as a string while PGlite returns a number; money and
 * counts in Redress stay far below 2^53, so both engines are made to return numbers.
 */
const parseInt8 = (value: string) => Number(value);
/** The types every `pg` connection of Redress reads with (exported for the bench's replay). */
export const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return parseInt8;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export function openPostgres(
  url: string,
  options: { max?: number; onIdleError?: (error: Error) => void; log?: LogConfig } = {},
): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types: pgTypes });
  // An idle connection the server closed (restart, failover, admin shutdown) is dropped from
  // the pool and replaced on next use; without a listener, Node would crash the process.
  pool.on('error', (error) => options.onIdleError?.(error));
  // A checked-out connection has no pool listener: when the server ends it between two queries
  // of a transaction (57P01 on restart), the client emits 'error' with nobody listening, and
  // that crashed the server. The query in flight fails on its own (503 to its caller) and the
  // pool discards the broken client when it is released.
  pool.on('connect', (client) => client.on('error', (error) => options.onIdleError?.(error)));
  // `log` lets a test or the bench count and record every statement (the filing's statement budget).
  const db = new Kysely<Database>({
    // The hot fixed statements are parsed and planned once per connection (prepared-statements.ts).
    dialect: new PostgresDialect({ pool: preparingPool(pool) }),
    ...(options.log ? { log: options.log } : {}),
  });
  // For the transactions that need the raw client under them (COPY): see pg-client.ts.
  registerPgPool(db, pool, options.log);
  return {
    db,
    engine: 'postgres',
    close: () => db.destroy(),
    listen: (channel, onNotify) => listenOnPostgres(url, channel, onNotify, options.onIdleError),
  };
}

/** A LISTEN connection kept open beside the pool; when it is lost it is opened again after a pause. */
async function listenOnPostgres(
  url: string,
  channel: string,
  onNotify: () => void,
  onError?: (error: Error) => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const open = async () => {
    if (stopped) return;
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      if (message.channel === channel) onNotify();
    });
    next.on('error', (error) => {
      onError?.(error);
      next.end().catch(() => undefined);
      if (client === next) client = null;
      if (!stopped) retry = setTimeout(() => void open().catch(() => undefined), 2_000);
    });
    try {
      await next.connect();
      await next.query(`listen ${pg.escapeIdentifier(channel)}`);
      client = next;
      // Anything committed while no connection listened is found by this wake-up.
      onNotify();
    } catch (error) {
      onError?.(error as Error);
      await next.end().catch(() => undefined);
      if (!stopped) retry = setTimeout(() => void open().catch(() => undefined), 2_000);
    }
  };
  await open();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}

/**
 * PGlite's PostgreSQL keeps initdb's `shared_buffers` of 128 MB, and its shared memory is
 * zeroed inside the WASM heap at start, so all of it is resident from the first second (146 MB
 * of shared memory in all). The embedded database is a demo's or a laptop's: its data files stay
 * in the operating system's page cache, so with 32 MB of buffers (and the 1 MB of WAL buffers
 * PostgreSQL derives from them) a page that is not among them is read from that cache, not disk.
 * Settings of the running server only, passed on its command line: the data folder is unchanged.
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

const BYTEA_OID = 17;

/**
 * bytea to and from PGlite, by the same rules as `pg`: a Buffer in, a Buffer out. PGlite's own
 * handlers write a value as hex one byte at a time (`Array.from`, a string per byte) and read it
 * back with a `parseInt` per byte: 2.8 s of the event loop to store a 5 MB value and 0.4 s to read
 * it, 27 and 8 ms for one 64 KB chunk of an import (docs/performance.md, eighth session). Bytes
 * handed over as they are go in the protocol's binary format (PostgreSQL takes bytea as its raw
 * bytes), and a read is decoded by Buffer's native hex decoder.
 */
export const PGLITE_BYTEA = {
  // PGlite's types say a serializer returns text, but its Bind message sends a byte view as is,
  // in binary format: 1 ms for 64 KB and 48 ms for 5 MB, against 4 and 159 ms as native hex. Text
  // goes as text (PostgreSQL reads `\x…` itself), as pg sends it; anything else is refused here,
  // as PGlite's own serializer refused it, rather than sent as a malformed message.
  serializers: {
    [BYTEA_OID]: (value: unknown) => {
      if (ArrayBuffer.isView(value) || typeof value === 'string') return value as string;
      throw new TypeError('a bytea value must be bytes (a Buffer or Uint8Array) or text');
    },
  },
  parsers: { [BYTEA_OID]: (hex: string) => Buffer.from(hex.slice(2), 'hex') },
};

export async function openPglite(source: {
  dataDir?: string;
  snapshot?: Blob;
  log?: LogConfig;
}): Promise<DatabaseHandle> {
  if (source.dataDir) mkdirSync(source.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    startParams: PGLITE_START_PARAMS,
    ...PGLITE_BYTEA,
    ...(source.dataDir ? { dataDir: source.dataDir } : {}),
    ...(source.snapshot ? { loadDataDir: source.snapshot } : {}),
  });
  const line = new ConnectionLine();
  const db = new Kysely<Database>({
    dialect: new PGliteDialect(pglite, { line }),
    ...(source.log ? { log: source.log } : {}),
  });
  const urgent = new Kysely<Database>({
    dialect: new PGliteDialect(pglite, { line, urgent: true }),
    ...(source.log ? { log: source.log } : {}),
  });
  return {
    db,
    urgent,
    engine: 'pglite',
    // Called before the server takes requests: LISTEN runs outside the dialect's queue.
    listen: async (channel, onNotify) => {
      const unlisten = await pglite.listen(channel, () => onNotify());
      return () => unlisten();
    },
    close: async () => {
      await urgent.destroy();
      await db.destroy();
      // After the transaction in flight, if any: its statements give the event loop turns (the
      // dialect's `breathe` after each), and a close in one of them would leave it half done.
      await line.take(true);
      try {
        await pglite.close();
      } finally {
        line.give();
      }
    },
  };
}

export async function openDatabase(
  config: { databaseUrl?: string | undefined; dataDir: string },
  onIdleError?: (error: Error) => void,
): Promise<DatabaseHandle> {
  return config.databaseUrl
    ? openPostgres(config.databaseUrl, onIdleError ? { onIdleError } : {})
    : openPglite({ dataDir: config.dataDir });
}
