import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every change to a claim row goes through `recordClaimEvent` (src/claims/history.ts), which writes
 * the event, its outbox message and the claim's new columns in one statement: so no column changes
 * without an event in the hash-chained history. This test reads the source and fails when another
 * file updates the claims table directly.
 */
const ALLOWED: Record<string, string> = {
  'src/claims/history.ts': 'the one write path itself',
  'src/privacy/erase-customer.ts':
    'erasure clears sealed personal columns after its own claim.personal_data_erased event',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the claim write path', () => {
  it('updates the claims table only through the history (plus the listed exceptions)', () => {
    const root = join(import.meta.dirname, '..');
    const writers = sourceFiles(join(root, 'src'))
      .filter((file) =>
        /updateTable\(\s*'claims'\s*\)|update\s+claims\s+set/i.test(readFileSync(file, 'utf8')),
      )
      .map((file) => relative(root, file));
    expect(writers.filter((file) => !(file in ALLOWED))).toEqual([]);
    // An exception that no longer writes is taken off the list.
    expect(Object.keys(ALLOWED).filter((file) => !writers.includes(file))).toEqual([]);
  });
});
