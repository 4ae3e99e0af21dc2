import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Route files validate, authorise and delegate; SQL lives in stores and use cases. The dependency
 * rule (.dependency-cruiser.cjs) forbids importing kysely or the database helpers from `http/`, but a
 * query built on `ctx.db` needs no import, so this test reads the route files for one.
 */

const root = join(import.meta.dirname, '..', 'src');
const BUILDS_SQL =
  /\.(selectFrom|updateTable|insertInto|deleteFrom|replaceInto|mergeInto|with)\(|\bsql`|\bsql\.(raw|ref|lit|id|table)\(/;

/** Every route file: the `http/` folders of the domains (the platform's own HTTP plumbing apart). */
function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(path);
    const rel = relative(root, path);
    const inRoutes = /(^|\/)http\//.test(rel) && !rel.startsWith('platform/http/');
    return inRoutes && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function sqlLines(text: string): string[] {
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => !line.startsWith('//') && !line.startsWith('*') && BUILDS_SQL.test(line))
    .map(({ line, n }) => `${n}: ${line}`);
}

describe('route files', () => {
  it('finds the route files (the scan itself works)', () => {
    const files = routeFiles(root).map((f) => relative(root, f));
    expect(files).toContain('claims/http/claims-routes.ts');
    expect(files).toContain('ledger/http/recovery-routes.ts');
    expect(files.some((f) => f.startsWith('platform/http/'))).toBe(false);
  });

  it('recognises a query built in a route', () => {
    expect(sqlLines("  const rows = await ctx.db.selectFrom('claims').selectAll().execute();")).toHaveLength(
      1,
    );
    expect(sqlLines('  await sql`select 1`.execute(ctx.db);')).toHaveLength(1);
    expect(sqlLines('  const rows = await listClaims(ctx.db, filter);')).toEqual([]);
  });

  it('build no SQL: every query is in a store or a use case', () => {
    const found = routeFiles(root).flatMap((file) =>
      sqlLines(readFileSync(file, 'utf8')).map((line) => `${relative(root, file)}:${line}`),
    );
    expect(found).toEqual([]);
  });
});
