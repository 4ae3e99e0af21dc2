import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { type LogConfig, sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { inject } from 'vitest';
import { createTimerRegistry, standardJobs } from '../src/app/runtime.ts';
import { buildServer } from '../src/app/server.ts';
import type { RiskAssessor } from '../src/claims/risk.ts';
import { ledgerOnlyProvider, type PaymentProvider } from '../src/ledger/payment-provider.ts';
import { folderMailer, type Mailer } from '../src/notifications/mailer.ts';
import { createApiKey } from '../src/platform/auth/api-keys.ts';
import type { Role } from '../src/platform/auth/roles.ts';
import { LocalBlobStore } from '../src/platform/blobs/local-blob-store.ts';
import { PostgresBlobStore } from '../src/platform/blobs/postgres-blob-store.ts';
import { ManualClock } from '../src/platform/clock.ts';
import type { AppContext } from '../src/platform/context.ts';
import { type DatabaseHandle, openPglite, openPostgres } from '../src/platform/db/connect.ts';
import type { App } from '../src/platform/http/app-types.ts';
import type { RateLimits } from '../src/platform/http/rate-limits.ts';
import { runAllDue } from '../src/platform/jobs.ts';
import { installMasterKeys, testMasterKeys } from '../src/privacy/master-keys.ts';

/**
 * Tests send hundreds of requests from one address, many with wrong keys on purpose: limits
 * are out of reach unless a test sets its own.
 */
const LIMITS_OUT_OF_REACH: RateLimits = {
  windowSeconds: 60,
  authFailuresPerAddress: 1_000_000,
  signInsPerAddress: 1_000_000,
  claimFilingsPerKey: 1_000_000,
  claimFilingsPerAddress: 1_000_000,
  importsPerKey: 1_000_000,
  importsPerAddress: 1_000_000,
};

export const TEST_START = new Date('2026-11-16T15:00:00Z'); // Monday 10:00 in New York

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface World {
  app: App;
  ctx: AppContext;
  clock: ManualClock;
  engine: 'pglite' | 'postgres';
  adminKey: string;
  /** A fresh API key of a role (and party), made directly in the database. */
  key(role: Role, partyId?: string): Promise<string>;
  request<T = any>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    options?: {
      key?: string | null;
      body?: unknown;
      headers?: Record<string, string>;
      payload?: Buffer | string;
      /** The client's address as the server sees it (the socket's); 127.0.0.1 otherwise. */
      remoteAddress?: string;
    },
  ): Promise<Response<T>>;
  /** Moves the test clock and runs every timer that came due, as the advance route does. */
  advance(seconds: number): Promise<number>;
  /** Runs the background worker's passes (timers, payouts) until nothing is due. */
  work(): Promise<Record<string, number>>;
  /** The database's LISTEN, as a worker process uses it (see ledger/payout-wake.ts). */
  listen: DatabaseHandle['listen'];
  /** The database's line-jumping handle, as a worker process has it on PGlite (see connect.ts). */
  urgent?: DatabaseHandle['urgent'];
  /** Another worker's context on the same database: its own pool on PostgreSQL, the same instance on PGlite. */
  secondContext(): Promise<AppContext & { close(): Promise<void> }>;
  /**
   * Empties the world for the next test of a file: every table as the migrations left it, the
   * clock at its start, no files or mail, a new admin key. The server, its database and its
   * connections are kept, which is what makes a reset about ten times cheaper than a new world.
   */
  reset(start?: Date): Promise<void>;
  close(): Promise<void>;
}

export async function openTestDatabase(
  log?: LogConfig,
): Promise<DatabaseHandle & { drop?: () => Promise<void>; url?: string }> {
  const serverTemplate = inject('serverTemplate');
  const serverUrl = process.env.DATABASE_URL;
  if (serverTemplate && serverUrl) {
    const pid = serverTemplate.replace('redress_template_', '');
    const name = `redress_t${pid}_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name} template ${serverTemplate}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const handle = openPostgres(url.toString(), { max: 10, ...(log ? { log } : {}) });
    return {
      ...handle,
      url: url.toString(),
      drop: async () => {
        const dropper = new pg.Client({ connectionString: serverUrl });
        await dropper.connect();
        await dropper.query(`drop database if exists ${name} with (force)`);
        await dropper.end();
      },
    };
  }
  const snapshot = new Blob([readFileSync(inject('pgliteSnapshot'))]);
  return openPglite({ snapshot, ...(log ? { log } : {}) });
}

/**
 * Every table the migrations made, emptied in one statement (their sequences restarted): a
 * migrated database holds no rows but the migrations' own bookkeeping.
 */
async function emptyEveryTable(db: DatabaseHandle['db']): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select quote_ident(tablename) as name from pg_tables
    where schemaname = 'public' and tablename not like 'kysely\_%'`.execute(db);
  await sql.raw(`truncate ${rows.map((r) => r.name).join(', ')} restart identity cascade`).execute(db);
}

/**
 * A fresh world per test file. Screening defaults to the built-in completeness check so that
 * lifecycle tests are not steered by fraud signals; screening tests pass `fraudAssessor`.
 */
export async function createWorld(
  options: {
    start?: Date;
    riskAssessor?: RiskAssessor;
    payments?: PaymentProvider;
    mailer?: Mailer;
    /** Webhooks to loopback and private addresses (a local receiver); off, as in production, unless asked. */
    allowPrivateWebhooks?: boolean;
    demoSignIn?: boolean;
    rateLimits?: Partial<RateLimits>;
    trustProxy?: boolean;
    /** Kysely's log hook on the world's database: the statement-budget test counts through it. */
    log?: LogConfig;
  } = {},
): Promise<World> {
  installMasterKeys(testMasterKeys());
  const handle = await openTestDatabase(options.log);
  const clock = new ManualClock(options.start ?? TEST_START);
  const blobDir = mkdtempSync(join(tmpdir(), 'redress-blobs-'));
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) as unknown as FastifyBaseLogger;
  const ctx: AppContext = {
    db: handle.db,
    engine: handle.engine,
    clock,
    // As in production: with a database server, files live in it (the default with DATABASE_URL).
    blobs: handle.engine === 'postgres' ? new PostgresBlobStore(handle.db) : new LocalBlobStore(blobDir),
    timers: createTimerRegistry(),
    log,
    payments: options.payments ?? ledgerOnlyProvider,
    jobs: standardJobs(),
    notifications: {
      webhooks: { allowPrivateTargets: options.allowPrivateWebhooks ?? false, timeoutMs: 1500 },
      mailer: options.mailer ?? folderMailer(join(blobDir, 'mail')),
      nats: null,
    },
    ...(options.riskAssessor ? { riskAssessor: options.riskAssessor } : {}),
  };
  const app = await buildServer(ctx, {
    testClock: clock,
    loggerInstance: log,
    demoSignIn: options.demoSignIn ?? false,
    rateLimits: { ...LIMITS_OUT_OF_REACH, ...options.rateLimits },
    trustProxy: options.trustProxy ?? false,
  });
  await app.ready();
  const start = clock.now();
  let adminKey = (await createApiKey(handle.db, clock, { role: 'admin' })).secret;

  const world: World = {
    app,
    ctx,
    clock,
    engine: handle.engine,
    adminKey,
    key: async (role, partyId) =>
      (await createApiKey(handle.db, clock, { role, partyId: partyId ?? null })).secret,
    request: async (method, url, opts = {}) => {
      const key = opts.key === undefined ? adminKey : opts.key;
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (key) headers.authorization = `Bearer ${key}`;
      const response = await app.inject({
        method,
        url,
        headers,
        ...(opts.remoteAddress ? { remoteAddress: opts.remoteAddress } : {}),
        ...(opts.payload !== undefined
          ? { payload: opts.payload }
          : opts.body !== undefined
            ? {
                payload: JSON.stringify(opts.body),
                headers: { ...headers, 'content-type': 'application/json' },
              }
            : {}),
      });
      const type = String(response.headers['content-type'] ?? '');
      const body = type.includes('json') ? response.json() : response.body;
      return { status: response.statusCode, body, headers: response.headers };
    },
    advance: async (seconds) => {
      clock.advance(seconds);
      return (await runAllDue(ctx)).timers ?? 0;
    },
    work: async () => runAllDue(ctx),
    listen: (channel, onNotify) => handle.listen(channel, onNotify),
    ...(handle.urgent ? { urgent: handle.urgent } : {}),
    secondContext: async () => {
      if (!handle.url) return { ...ctx, close: async () => {} };
      const other = openPostgres(handle.url, { max: 5 });
      return { ...ctx, db: other.db, close: other.close };
    },
    reset: async (at = start) => {
      await emptyEveryTable(handle.db);
      clock.set(at);
      rmSync(blobDir, { recursive: true, force: true });
      mkdirSync(blobDir, { recursive: true });
      adminKey = (await createApiKey(handle.db, clock, { role: 'admin' })).secret;
      world.adminKey = adminKey;
    },
    close: async () => {
      await app.close();
      await ctx.notifications.mailer.close?.();
      await handle.close();
      await handle.drop?.();
      rmSync(blobDir, { recursive: true, force: true });
    },
  };
  return world;
}
