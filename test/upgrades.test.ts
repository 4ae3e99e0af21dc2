import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, migrationPlan } from '../src/platform/db/migrate.ts';
import { MigrationHistoryError } from '../src/platform/db/migration-history.ts';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { multipart, png } from './support/uploads.ts';

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

describe('0023 gives the claim-path tables their marketplace', () => {
  it("fills each table's marketplace_id from its parent, set-based, and keeps the ledger append-only", async () => {
    const keys = await usMarketplace(world);
    await world.request('PUT', '/v1/experts/exp_lee', {
      body: { marketplaceId: 'mkt_us', organisation: 'Veritas Investigations', name: 'J. Lee' },
    });
    expect((await fileClaim(world, keys.dana, claimBody())).status).toBe(201);
    await world.work(); // the marketplace pays: journal entries and lines
    const large = (
      await fileClaim(
        world,
        keys.dana,
        claimBody({ lineId: '2', amount: { value: 300_000, currency: 'USD' } }),
      )
    ).body;
    const upload = await world.request('POST', `/v1/claims/${large.id}/evidence?purpose=photo`, {
      key: keys.dana,
      ...multipart('counter.png', png(), 'image/png'),
    });
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    const referred = await world.request('POST', `/v1/claims/${large.id}/referrals`, {
      key: keys.agent,
      body: { reason: 'spot check' },
    });
    expect(referred.status, JSON.stringify(referred.body)).toBe(201);

    // Back to the schema before 0023, with the rows written since, and migrate again.
    const db = world.ctx.db;
    const tables = ['order_lines', 'products', 'evidence', 'referrals', 'journal_lines'] as const;
    for (const table of tables)
      await sql`alter table ${sql.table(table)} drop column marketplace_id`.execute(db);
    // 0024 to 0026 come after it: undone too (indexes as before, no units table), as a database
    // of the release before had them.
    await sql`create index orders_customer on orders (customer_id)`.execute(db);
    for (const table of ['claim_narrative_bands', 'claim_paraphrase_bands']) {
      await sql`create index ${sql.id(`${table}_hash`)} on ${sql.table(table)} (band, hash)`.execute(db);
      await sql`drop index ${sql.id(`${table}_recent`)}`.execute(db);
    }
    await sql`drop table product_unit_counts`.execute(db);
    const since = [
      '0023_marketplace_keys',
      '0024_orders_customer_index',
      '0025_narrative_bands_recent',
      '0026_product_unit_counts',
    ];
    await sql`delete from kysely_migration where name = any(${since}::text[])`.execute(db);
    await db.deleteFrom('redress_migration_checksums').where('name', 'in', since).execute();
    expect(await migrateToLatest(db)).toEqual(since);

    const { rows } = await sql<{ table: string; rows: number; wrong: number }>`
      select 'order_lines' as table, count(*)::int as rows, count(*) filter (where l.marketplace_id is distinct from o.marketplace_id)::int as wrong
        from order_lines l join orders o on o.id = l.order_id
      union all select 'products', count(*)::int, count(*) filter (where p.marketplace_id is distinct from s.marketplace_id)::int
        from products p join sellers s on s.id = p.seller_id
      union all select 'evidence', count(*)::int, count(*) filter (where e.marketplace_id is distinct from c.marketplace_id)::int
        from evidence e join claims c on c.id = e.claim_id
      union all select 'referrals', count(*)::int, count(*) filter (where r.marketplace_id is distinct from c.marketplace_id)::int
        from referrals r join claims c on c.id = r.claim_id
      union all select 'journal_lines', count(*)::int, count(*) filter (where l.marketplace_id is distinct from e.marketplace_id)::int
        from journal_lines l join journal_entries e on e.id = l.entry_id`.execute(db);
    for (const row of rows) {
      expect(row.rows, row.table).toBeGreaterThan(0);
      expect(row.wrong, row.table).toBe(0);
    }
    // Nullable in this release, so the previous release's processes, which do not set it, keep
    // working during a rolling upgrade (expand, deploy, contract: docs/operations.md).
    const nullable = await sql<{ table_name: string }>`
      select table_name from information_schema.columns
      where column_name = 'marketplace_id' and is_nullable = 'YES' and table_name = any(${[...tables]}::text[])`.execute(
      db,
    );
    expect(nullable.rows.map((r) => r.table_name).sort()).toEqual([...tables].sort());
    await expect(sql`update journal_lines set marketplace_id = 'mkt_other'`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    // 0025: the narrative bands are indexed with their claim ids, the bucket-only indexes gone.
    const bandIndexes = await sql<{ indexname: string }>`
      select indexname from pg_indexes
      where tablename in ('claim_narrative_bands', 'claim_paraphrase_bands') and indexname not like '%_pkey'
      order by indexname`.execute(db);
    expect(bandIndexes.rows.map((r) => r.indexname)).toEqual([
      'claim_narrative_bands_recent',
      'claim_paraphrase_bands_recent',
    ]);
  });
});
