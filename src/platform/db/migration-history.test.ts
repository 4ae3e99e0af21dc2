import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeMigrationPlan, migrationChecksum, withoutComments } from './migration-history.ts';

// Three spellings of one migration, as tsx, vitest and an editor would hand it to us.
const asWritten = {
  async up() {
    // Why this index exists.
    await sql`create index a on b (c);`.execute(null as never);
  },
};
const asMinified = {
  async up() {
    await sql`create index a on b (c);`.execute(null as never);
  },
};
const withSqlEdited = {
  async up() {
    await sql`create index a on b (c, d);`.execute(null as never);
  },
};

describe('migration checksums', () => {
  it('ignore comments and layout but not the SQL', () => {
    expect(migrationChecksum(asWritten)).toBe(migrationChecksum(asMinified));
    expect(migrationChecksum(withSqlEdited)).not.toBe(migrationChecksum(asMinified));
  });

  it('treat tool-inserted import qualifiers as the same source', () => {
    const viaVite = {
      up: { toString: () => 'async function up(db) { await __vite_ssr_import_0__.sql`x`.execute(db); }' },
    };
    const viaTsx = {
      up: { toString: () => 'async function up(db){await import_kysely.sql`x`.execute(db)}' },
    };
    expect(migrationChecksum(viaVite as never)).toBe(migrationChecksum(viaTsx as never));
  });

  it('keep comment-like text inside strings, where it is SQL', () => {
    expect(withoutComments("a('-- // not a comment'); // gone\nb`/* kept */` /* gone */")).toBe(
      "a('-- // not a comment'); \nb`/* kept */`  ",
    );
  });
});

describe('the migration plan in words', () => {
  it('lists pending migrations, or refuses on a newer or altered schema', () => {
    expect(describeMigrationPlan({ unknown: [], altered: [], pending: ['0017_operations'] })).toEqual({
      text: 'would apply, in order:\n  0017_operations\n',
      ok: true,
    });
    expect(describeMigrationPlan({ unknown: [], altered: [], pending: [] }).text).toContain('up to date');
    const newer = describeMigrationPlan({ unknown: ['0099_future'], altered: [], pending: [] });
    expect(newer.ok).toBe(false);
    expect(newer.text).toContain('0099_future');
  });
});
