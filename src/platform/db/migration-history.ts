import { createHash } from 'node:crypto';
import { type Kysely, type Migration, sql } from 'kysely';

/**
 * What a database has been through, compared with what this build knows. Kysely records which
 * migrations ran (`kysely_migration`) but not what they were, so an edited migration or a
 * table changed by hand would go unnoticed; we keep each migration's checksum beside it.
 */

/** Kysely's own record of applied migrations (its default table name). */
const KYSELY_TABLE = 'kysely_migration';

/**
 * The checksum of a migration's `up` source. The same file reaches us rewritten by whichever
 * tool loads it: tsx drops comments, whitespace and semicolons and calls `sql` as
 * `import_kysely.sql`, vitest keeps comments and says `__vite_ssr_import_0__.sql`, Node's type
 * stripping turns types into spaces. So the text is normalised first (comments outside strings,
 * whitespace, semicolons and those import qualifiers dropped): an edit that changes only those
 * is not a change, and any other edit is, including any edit inside the SQL.
 */
export function migrationChecksum(migration: Migration): string {
  const source = withoutComments(migration.up.toString())
    .replace(/\b(?:__vite_ssr_import_\d+__|__vi_import_\d+__|import_[\w$]+)\./g, '')
    .replace(/[\s;]+/g, '')
    .replace(/\(0,([\w$.]+)\)/g, '$1');
  return createHash('sha256').update(source).digest('hex');
}

/**
 * Removes JavaScript comments, leaving strings and template literals (the SQL) untouched. A
 * small scanner rather than a parser dependency: migrations are plain functions of SQL strings.
 */
export function withoutComments(code: string): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i] as string;
    if (quote) {
      out += ch;
      if (ch === '\\') out += code[++i] ?? '';
      else if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      quote = ch;
      out += ch;
    } else if (ch === '/' && code[i + 1] === '/') {
      while (i < code.length && code[i] !== '\n') i++;
      out += '\n';
    } else if (ch === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2);
      i = end === -1 ? code.length : end + 1;
      out += ' ';
    } else {
      out += ch;
    }
  }
  return out;
}

export interface MigrationHistory {
  /** Applied migrations this build does not list: the database was upgraded by a newer Redress. */
  unknown: string[];
  /** Applied migrations whose recorded checksum differs from this build's source. */
  altered: { name: string; recorded: string; current: string }[];
  /** Listed migrations not yet applied, in order. */
  pending: string[];
}

export class MigrationHistoryError extends Error {}

// biome-ignore lint/suspicious/noExplicitAny: the history is read before the schema it describes exists.
type AnyDb = Kysely<any>;

async function tableExists(db: AnyDb, name: string): Promise<boolean> {
  const { rows } = await sql<{ found: string | null }>`select to_regclass(${name})::text as found`.execute(
    db,
  );
  return rows[0]?.found != null;
}

export async function ensureChecksumTable(db: AnyDb): Promise<void> {
  await sql`
    create table if not exists redress_migration_checksums (
      name text primary key,
      sha256 text not null,
      recorded_at timestamptz not null default now()
    )
  `.execute(db);
}

/** Compares the database's applied migrations with this build's list; reads only, changes nothing. */
export async function readMigrationHistory(
  db: AnyDb,
  migrations: Record<string, Migration>,
): Promise<MigrationHistory> {
  const applied = (await tableExists(db, KYSELY_TABLE))
    ? (await db.selectFrom(KYSELY_TABLE).select('name').orderBy('name').execute()).map(
        (r) => r.name as string,
      )
    : [];
  const recorded = new Map<string, string>();
  if (await tableExists(db, 'redress_migration_checksums')) {
    const rows = await db.selectFrom('redress_migration_checksums').select(['name', 'sha256']).execute();
    for (const row of rows) recorded.set(row.name, row.sha256);
  }
  const appliedSet = new Set(applied);
  const altered: MigrationHistory['altered'] = [];
  for (const name of applied) {
    const migration = migrations[name];
    const was = recorded.get(name);
    if (!migration || was === undefined) continue;
    const current = migrationChecksum(migration);
    if (current !== was) altered.push({ name, recorded: was, current });
  }
  return {
    unknown: applied.filter((name) => !(name in migrations)),
    altered,
    pending: Object.keys(migrations).filter((name) => !appliedSet.has(name)),
  };
}

/** Throws with a message an operator can act on when the database must not be migrated or served. */
export function assertMigrationHistoryUsable(history: MigrationHistory): void {
  if (history.unknown.length) {
    throw new MigrationHistoryError(
      `The database has migrations this version of Redress does not know: ${history.unknown.join(', ')}. ` +
        'It was upgraded by a newer Redress; run that version (or newer), or restore a backup taken before the upgrade.',
    );
  }
  if (history.altered.length) {
    const lines = history.altered.map((a) => `  ${a.name}: recorded ${a.recorded}, this build ${a.current}`);
    throw new MigrationHistoryError(
      `Applied migrations differ from this build's source (edited after release, or recorded by hand):\n${lines.join('\n')}\n` +
        'Run the Redress release that applied them, or restore the database; never edit a released migration: add a new one.',
    );
  }
}

/**
 * Records the checksum of every applied migration that has none yet: the ones just applied, and,
 * the first time a database meets this table, those applied before it existed (trust on first use).
 */
export async function recordChecksums(db: AnyDb, migrations: Record<string, Migration>): Promise<void> {
  await ensureChecksumTable(db);
  const applied = (await db.selectFrom(KYSELY_TABLE).select('name').execute()).map((r) => r.name as string);
  const rows = applied
    .filter((name) => name in migrations)
    .map((name) => ({ name, sha256: migrationChecksum(migrations[name] as Migration) }));
  if (!rows.length) return;
  await db
    .insertInto('redress_migration_checksums')
    .values(rows)
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/** The plan in words, for `redress migrate --plan` and `redress doctor`; `ok` is false when migrating would be refused. */
export function describeMigrationPlan(history: MigrationHistory): { text: string; ok: boolean } {
  try {
    assertMigrationHistoryUsable(history);
  } catch (error) {
    return { text: `refused: ${(error as Error).message}\n`, ok: false };
  }
  if (!history.pending.length) return { text: 'nothing to apply: the database is up to date\n', ok: true };
  return {
    text: `would apply, in order:\n${history.pending.map((name) => `  ${name}\n`).join('')}`,
    ok: true,
  };
}
