import { type RawBuilder, sql } from 'kysely';
import type pg from 'pg';
import { type CopyValue, copyRows } from '../../platform/db/copy-rows.ts';
import type { Tx } from '../../platform/db/sql.ts';

/**
 * A batch's rows as the FROM item of one set-based upsert, so that the statement itself is the
 * same text on both engines and the upsert's semantics cannot drift between them:
 *
 * - on PostgreSQL (a `pg` client under the transaction): COPY FROM STDIN into a temporary table
 *   (`ON COMMIT DROP`, so it lives and dies with the batch's transaction), then `table as alias`.
 *   COPY streams rows as text, parsed by the server a row at a time: no array literal is built
 *   in Node (`pg` builds those synchronously, one per column, megabytes for a batch) and none is
 *   parsed whole by the server;
 * - on PGlite: `unnest(arrays) as alias(columns)`, one array parameter per column (PGlite runs
 *   in this process: COPY would be the same work on the same thread, for no gain).
 */
export interface Staging {
  /** The temporary table on PostgreSQL; one per kind of row, reused by a batch's later waves. */
  table: string;
  /** Each column and its SQL type, as in the table written to. */
  columns: readonly (readonly [name: string, type: string])[];
}

export async function stageRows(
  tx: Tx,
  client: pg.PoolClient | null,
  staging: Staging,
  alias: string,
  rows: Iterable<readonly CopyValue[]>,
): Promise<RawBuilder<unknown>> {
  const names = staging.columns.map(([name]) => name);
  if (client) {
    // One round trip (no parameters: the simple protocol takes both statements). A later wave of
    // the same batch finds the table there and empties it; a savepoint rolled back may have taken
    // it away, and then it is made again.
    const definition = staging.columns.map(([name, type]) => `${name} ${type}`).join(', ');
    await sql
      .raw(
        `create temporary table if not exists ${staging.table} (${definition}) on commit drop; truncate ${staging.table}`,
      )
      .execute(tx);
    await copyRows(client, staging.table, names, rows);
    return sql`${sql.table(staging.table)} as ${sql.id(alias)}`;
  }
  const arrays = names.map(() => [] as CopyValue[]);
  for (const row of rows) {
    for (const [i, value] of row.entries()) arrays[i]?.push(value);
  }
  const parameters = arrays.map(
    (values, i) => sql`${values}::${sql.raw(staging.columns[i]?.[1] ?? 'text')}[]`,
  );
  return sql`unnest(${sql.join(parameters)}) as ${sql.id(alias)}(${sql.join(names.map((n) => sql.id(n)))})`;
}
