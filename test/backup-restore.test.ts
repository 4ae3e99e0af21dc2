import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainedContent, listClaimEvents } from '../src/claims/history.ts';
import { verifyChain } from '../src/claims/history-chain.ts';
import { checkLedger } from '../src/ledger/check-ledger.ts';
import { type DatabaseHandle, openPostgres } from '../src/platform/db/connect.ts';
import type { Db } from '../src/platform/db/sql.ts';
import { claimBody, deliveredOrder, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

const run = promisify(execFile);
const serverUrl = process.env.DATABASE_URL;
const folder = mkdtempSync(join(tmpdir(), 'redress-backup-'));
let world: World;
let restored: DatabaseHandle | null = null;
const restoredName = `redress_restored_${process.pid}`;

const urlOf = (name: string) => {
  const url = new URL(serverUrl as string);
  url.pathname = `/${name}`;
  return url.toString();
};

async function rowCounts(db: Db): Promise<Record<string, number>> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1
  `.execute(db);
  const counts: Record<string, number> = {};
  for (const { table_name } of rows) {
    const result = await sql<{ n: number }>`select count(*) as n from ${sql.table(table_name)}`.execute(db);
    counts[table_name] = Number(result.rows[0]?.n);
  }
  return counts;
}

async function everyChainVerifies(db: Db): Promise<boolean[]> {
  const claims = await db.selectFrom('claims').select('id').orderBy('id').execute();
  return Promise.all(
    claims.map(async ({ id }) => {
      const events = (await listClaimEvents(db, id)).map(chainedContent);
      return verifyChain(events).valid && events.length > 0;
    }),
  );
}

// pg_dump and pg_restore work on a PostgreSQL server; PGlite keeps its data in one process's folder.
describe.skipIf(!serverUrl)('backup and restore on the PostgreSQL server', () => {
  beforeAll(async () => {
    world = await createWorld();
    const keys = await usMarketplace(world);
    await deliveredOrder(world, 'ord_backup', 'cus_eli', 'prd_heater');
    expect((await fileClaim(world, keys.dana, claimBody())).status).toBe(201);
    const large = claimBody({ orderId: 'ord_backup', amount: { value: 250_000, currency: 'USD' } });
    expect((await fileClaim(world, keys.eli, large)).status).toBe(201);
    await world.work();
  });
  afterAll(async () => {
    await restored?.close();
    if (serverUrl) {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${restoredName} with (force)`);
      await admin.end();
    }
    await world?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('dumps a populated database, restores it into a fresh one, and finds it intact', async () => {
    const source = (await sql<{ name: string }>`select current_database() as name`.execute(world.ctx.db))
      .rows[0]?.name;
    const dump = join(folder, 'redress.dump');
    await run('pg_dump', ['--format=custom', `--file=${dump}`, urlOf(source as string)]);
    await run('createdb', ['--maintenance-db', serverUrl as string, restoredName]);
    await run('pg_restore', ['--no-owner', `--dbname=${urlOf(restoredName)}`, dump]);
    restored = openPostgres(urlOf(restoredName), { max: 2 });

    const ledger = await checkLedger(restored.db);
    expect(ledger.problems).toEqual([]);
    expect(ledger.ok).toBe(true);
    expect(ledger.entries).toBeGreaterThan(0);
    const chains = await everyChainVerifies(restored.db);
    expect(chains).toEqual([true, true]);
    expect(await rowCounts(restored.db)).toEqual(await rowCounts(world.ctx.db));
    // The ledger's append-only trigger came back with it.
    await expect(sql`delete from journal_lines`.execute(restored.db)).rejects.toThrow(/append-only/);
  });
});
