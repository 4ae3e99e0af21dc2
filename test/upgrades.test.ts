import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, migrationPlan } from '../src/platform/db/migrate.ts';
import { MigrationHistoryError } from '../src/platform/db/migration-history.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => world?.close());

describe('upgrades refuse a database they cannot trust', () => {
  it('records a checksum for every applied migration', async () => {
    const recorded = await world.ctx.db.selectFrom('redress_migration_checksums').select('name').execute();
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(world.ctx.db);
    expect(recorded.map((r) => r.name).sort()).toEqual(applied.rows.map((r) => r.name).sort());
    expect(recorded.map((r) => r.name)).toContain('0017_operations');
    expect(await migrateToLatest(world.ctx.db)).toEqual([]);
  });

  it('refuses to migrate when an applied migration differs from this build', async () => {
    await world.ctx.db
      .updateTable('redress_migration_checksums')
      .set({ sha256: 'edited-by-hand' })
      .where('name', '=', '0004_ledger')
      .execute();
    const refusal = migrateToLatest(world.ctx.db);
    await expect(refusal).rejects.toThrow(MigrationHistoryError);
    await expect(refusal).rejects.toThrow(/0004_ledger: recorded edited-by-hand/);
    expect((await migrationPlan(world.ctx.db)).altered.map((a) => a.name)).toEqual(['0004_ledger']);
  });

  it('refuses a schema newer than this build knows', async () => {
    // Forget the tampered checksum (the next migrate records the honest one), so only the newer migration is wrong.
    await world.ctx.db.deleteFrom('redress_migration_checksums').where('name', '=', '0004_ledger').execute();
    await migrateToLatest(world.ctx.db);
    await sql`insert into kysely_migration (name, timestamp) values ('0099_from_the_future', '2030-01-01T00:00:00.000Z')`.execute(
      world.ctx.db,
    );
    await expect(migrateToLatest(world.ctx.db)).rejects.toThrow(
      /migrations this version of Redress does not know: 0099_from_the_future/,
    );
    await sql`delete from kysely_migration where name = '0099_from_the_future'`.execute(world.ctx.db);
  });
});

describe('redress migrate --plan', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-plan-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const redress = async (args: string[]) => {
    try {
      return {
        code: 0,
        ...(await promisify(execFile)('node', ['bin/redress.mjs', ...args], {
          env: { ...process.env, DATABASE_URL: '', REDRESS_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
        })),
      };
    } catch (error) {
      return error as { code: number; stdout: string; stderr: string };
    }
  };

  // Three runs of the real binary, each opening PGlite from scratch: slow on a busy machine.
  it('prints what would run without running it', { timeout: 240_000 }, async () => {
    const before = await redress(['migrate', '--plan']);
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/would apply, in order:\n {2}0001_platform\n[\s\S]*0017_operations/);
    expect((await redress(['migrate'])).stdout).toContain('applied: 0001_platform');
    expect((await redress(['migrate', '--plan'])).stdout).toBe(
      'nothing to apply: the database is up to date\n',
    );
  });
});
