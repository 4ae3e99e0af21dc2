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
