import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { createTimerRegistry, standardJobs } from '../src/app/runtime.ts';
import { ledgerOnlyProvider } from '../src/ledger/payment-provider.ts';
import { putMarketplace } from '../src/marketplace/put-marketplace.ts';
import { putProduct } from '../src/marketplace/put-product.ts';
import { putSeller } from '../src/marketplace/put-seller.ts';
import { folderMailer } from '../src/notifications/mailer.ts';
import { LocalBlobStore } from '../src/platform/blobs/local-blob-store.ts';
import type { Clock } from '../src/platform/clock.ts';
import type { AppContext } from '../src/platform/context.ts';
import { type DatabaseHandle, openPglite, openPostgres } from '../src/platform/db/connect.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { installMasterKeys, testMasterKeys } from '../src/privacy/master-keys.ts';
import { fraudAssessor } from '../src/screening/fraud-assessor.ts';
import { customerStyle, FIXTURE, incidentsPath } from '../src/simulation/incidents.ts';

/** The PostgreSQL server benchmarks compare against: DATABASE_URL, or the machine's local one. */
export const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export async function serverAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export interface BenchDatabase {
  handle: DatabaseHandle;
  url: string | null;
  dispose(): Promise<void>;
}

/** A fresh, migrated database on the chosen engine, removed afterwards. */
export async function freshDatabase(
  engine: 'pglite' | 'postgres',
  options: { poolSize?: number } = {},
): Promise<BenchDatabase> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'redress-bench-'));
    const handle = await openPglite({ dataDir: dir });
    await migrateToLatest(handle.db);
    return {
      handle,
      url: null,
      dispose: async () => {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `redress_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const handle = openPostgres(url.toString(), { max: options.poolSize ?? 10 });
  await migrateToLatest(handle.db);
  return {
    handle,
    url: url.toString(),
    dispose: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: SERVER_URL });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

export function benchContext(handle: DatabaseHandle, clock: Clock): AppContext {
  installMasterKeys(testMasterKeys('redress bench master key'));
  return {
    db: handle.db,
    engine: handle.engine,
    clock,
    blobs: new LocalBlobStore(mkdtempSync(join(tmpdir(), 'redress-bench-blobs-'))),
    timers: createTimerRegistry(),
    log: pino({ level: 'silent' }) as unknown as FastifyBaseLogger,
    payments: ledgerOnlyProvider,
    jobs: standardJobs(),
    riskAssessor: fraudAssessor,
    notifications: {
      webhooks: { allowPrivateTargets: false, timeoutMs: 10_000 },
      mailer: folderMailer(mkdtempSync(join(tmpdir(), 'redress-bench-mail-'))),
      nats: null,
    },
  };
}

export function percentiles(values: number[]): { p50: number; p99: number; mean: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 100) / 100;
  const mean = sorted.length
    ? Math.round((sorted.reduce((a, b) => a + b, 0) / sorted.length) * 100) / 100
    : 0;
  return { p50: at(0.5), p99: at(0.99), mean };
}

/** Every benchmark prints one JSON line (for machines) and a table (for people). */
export function report(name: string, figures: Record<string, unknown>, rows: [string, string][]): void {
  process.stdout.write(`${JSON.stringify({ bench: name, at: new Date().toISOString(), ...figures })}\n`);
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\n${name}\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n\n`);
}

/**
 * The benchmarks' marketplace: "bench" in USD with 40 third-party sellers ("bs0"…) and products
 * ("bp0"…) spread over them and over the given categories in turn.
 */
export async function setUpBenchMarketplace(
  ctx: AppContext,
  catalogue: { products: number; categories: readonly string[]; title: string },
): Promise<void> {
  const admin = { role: 'admin' as const, partyId: null, keyId: 'bench', requestId: null };
  await ctx.db.transaction().execute(async (tx) => {
    await putMarketplace(tx, ctx.clock, admin, 'bench', {
      name: 'Bench',
      currency: 'USD',
      region: 'US',
      timeZone: 'America/New_York',
      policy: {},
    });
    for (let s = 0; s < 40; s++) {
      await putSeller(tx, ctx.clock, `bs${s}`, {
        marketplaceId: 'bench',
        name: `Seller ${s}`,
        standing: 'good',
        kind: 'third_party',
        contact: { email: `s${s}@bench.example` },
      });
    }
    for (let p = 0; p < catalogue.products; p++) {
      await putProduct(tx, ctx.clock, `bp${p}`, {
        sellerId: `bs${p % 40}`,
        title: `${catalogue.title} ${p}`,
        category: catalogue.categories[p % catalogue.categories.length] as string,
      });
    }
  });
}

/**
 * The environment a bench's server process starts with: the bench's own minus DATABASE_URL (a
 * PGlite server is one started without it), plus `extra`, which names the database when there is one.
 */
export function serverEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _unused, ...rest } = process.env;
  return { ...rest, ...extra };
}

/**
 * Every usable CPSC NEISS narrative in ../shared/data (about 1,000; the repository's small fixture
 * when the folder is absent), rewritten as a customer writes (simulation/incidents.ts), without
 * repeats: redacted or too short to file are left out.
 */
export function realNarratives(): string[] {
  const found = incidentsPath();
  const files = found
    ? readdirSync(dirname(found))
        .filter((f) => f.endsWith('.csv'))
        .map((f) => join(dirname(found), f))
    : [FIXTURE];
  const texts = new Set<string>();
  for (const file of files) {
    const rows = parse(readFileSync(file), { columns: true, skip_empty_lines: true }) as Record<
      string,
      string
    >[];
    for (const row of rows) {
      const note = row.Narrative ?? row.Narrative_1 ?? '';
      if (note.length < 40 || note.includes('***')) continue; // redacted by CPSC, or too short to file
      texts.add(customerStyle(note));
    }
  }
  return [...texts];
}
