import { type RawBuilder, sql } from 'kysely';

/**
 * Every column of a table, spelled out, checked against the table's type: the list fails to
 * compile when the table gains a column the list lacks. A statement that names its columns
 * instead of `table.*` can be kept as a prepared statement (prepared-statements.ts: a prepared
 * `*` fails once a migration adds a column, while the previous release still runs), and returns
 * the same row to this release whatever a later migration adds.
 */
export function allColumns<Table>() {
  return <const Names extends readonly (keyof Table & string)[]>(
    names: Names &
      ([Exclude<keyof Table, Names[number]>] extends [never]
        ? unknown
        : { missingColumns: Exclude<keyof Table, Names[number]> }),
  ): Names => names;
}

/**
 * `"alias"."column", …` for a select list: the columns above, read from `alias`. One raw fragment,
 * made once by its caller, instead of a reference per column for Kysely to build and compile at
 * every run; the names are the checked constants above, never input.
 */
export function columnsOf(alias: string, names: readonly string[]): RawBuilder<unknown> {
  return sql.raw(names.map((name) => `"${alias}"."${name}"`).join(', '));
}
