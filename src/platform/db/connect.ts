import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, type LogConfig, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';
import { PGliteDialect } from './pglite-dialect.ts';

export type Engine = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: Engine;
  close(): Promise<void>;
}

const INT8_OID = 20;

/**
 * `pg` returns int8 (bigint, count(*)) as a string while PGlite returns a number; money and
 * counts in Redress stay far below 2^53, so both engines are made to return numbers.
 */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (value: string) => Number(value);
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
    dialect: new PostgresDialect({ pool }),
    ...(options.log ? { log: options.log } : {}),
  });
  return { db, engine: 'postgres', close: () => db.destroy() };
}

export async function openPglite(source: {
  dataDir?: string;
  snapshot?: Blob;
  log?: LogConfig;
}): Promise<DatabaseHandle> {
  if (source.dataDir) mkdirSync(source.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(source.dataDir ? { dataDir: source.dataDir } : {}),
    ...(source.snapshot ? { loadDataDir: source.snapshot } : {}),
  });
  const db = new Kysely<Database>({
    dialect: new PGliteDialect(pglite),
    ...(source.log ? { log: source.log } : {}),
  });
  return {
    db,
    engine: 'pglite',
    close: async () => {
      await db.destroy();
      await pglite.close();
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
