import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { breathe } from '../event-loop-turns.ts';

/** A value as COPY's text format carries it: `null` is `\N`, numbers and text as written. */
export type CopyValue = string | number | null;

const SPECIAL = /[\\\t\n\r]/;

/** COPY text format: a backslash, tab, newline or carriage return would end the field or the row. */
function field(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  if (!SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** About this much text per COPY message; large enough that the protocol's framing is nothing. */
const SLICE_CHARS = 64 << 10;
/**
 * Once this much of the turn has gone (the turn's, on the clock every `breathe` shares: the import
 * parsing beside the COPY counts too), the stream gives the event loop a turn before the next slice.
 */
const BUDGET_MS = 4;

/**
 * Streams `rows` into `table` (`columns`, in order) with `COPY … FROM STDIN` on `client`, which
 * must be the caller's transaction's own (see pg-client.ts). The rows are turned into text a
 * slice at a time as the socket takes them, with a turn of the event loop whenever a few
 * milliseconds of that work have passed: a batch of any size is never one giant string in memory,
 * nor one long tick that holds `/healthz`. Resolves with the number of rows COPY stored; rejects
 * with the server's error (the transaction is then aborted, as after any failed statement).
 */
export async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<number> {
  const target = client.query(
    copyFrom(
      `copy ${pg.escapeIdentifier(table)} (${columns.map((c) => pg.escapeIdentifier(c)).join(', ')}) from stdin`,
    ),
  );
  async function* text(): AsyncGenerator<string> {
    let slice = '';
    for (const row of rows) {
      slice += `${row.map(field).join('\t')}\n`;
      if (slice.length < SLICE_CHARS) continue;
      yield slice;
      slice = '';
      await breathe(BUDGET_MS);
    }
    if (slice) yield slice;
  }
  await pipeline(Readable.from(text()), target);
  return target.rowCount;
}
