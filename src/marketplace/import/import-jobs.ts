import { sql } from 'kysely';
import type { Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import type { ImportJobsTable } from '../../platform/db/database.ts';
import { json } from '../../platform/db/sql.ts';
import { newId } from '../../platform/ids.ts';

/** All SQL about import jobs: the job row, its stored chunks and its per-line errors. */

export type ImportFormat = 'ndjson' | 'csv';

export interface ImportJobRow {
  id: string;
  format: ImportFormat;
  status: ImportJobsTable['status'];
  csv_header: string | null;
  created_by: string;
  created_by_role: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  bytes_total: number;
  chunks_total: number;
  chunks_done: number;
  bytes_done: number;
  lines: number;
  imported: number;
  failed: number;
  by_kind: Record<string, number>;
  attempts: number;
  lease_owner: string | null;
  lease_until: Date | null;
  failure: string | null;
}

/**
 * How much of a feed one transaction applies. On PostgreSQL a megabyte (about 4,000 orders)
 * keeps statements few and large; PGlite runs SQL on the event loop's own thread, so its chunks
 * stay small enough that no statement holds the loop for long.
 */
export const CHUNK_BYTES = { postgres: 1 << 20, pglite: 64 << 10 } as const;

export async function createImportJob(
  ctx: AppContext,
  principal: Principal,
  format: ImportFormat,
): Promise<string> {
  const id = newId('import', ctx.clock);
  await ctx.db
    .insertInto('import_jobs')
    .values({
      id,
      format,
      status: 'receiving',
      created_by: principal.keyId ?? principal.partyId ?? principal.role,
      created_by_role: principal.role,
      created_at: ctx.clock.now(),
      by_kind: json({}),
    })
    .execute();
  return id;
}

const NEWLINE = 0x0a;

/**
 * Stores an upload as it streams in, cut at line ends into chunks of about `chunkBytes`, each
 * with the number of its first line; the job is queued once the last byte is stored. Memory
 * stays at one chunk whatever the feed's size.
 */
export async function receiveImport(
  ctx: AppContext,
  jobId: string,
  source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  options: { chunkBytes?: number } = {},
): Promise<void> {
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES[ctx.engine];
  const format = (
    await ctx.db.selectFrom('import_jobs').select('format').where('id', '=', jobId).executeTakeFirstOrThrow()
  ).format;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let seq = 0;
  let nextLine = 1;
  let total = 0;
  let header: string | null = null;
  const store = async (bytes: Buffer) => {
    if (bytes.length === 0) return;
    let body = bytes;
    if (format === 'csv' && header === null) {
      // The header is kept on the job: every chunk's rows are read against it.
      const end = body.indexOf(NEWLINE);
      header = body
        .subarray(0, end < 0 ? body.length : end)
        .toString('utf8')
        .replace(/\r$/, '');
      body = end < 0 ? Buffer.alloc(0) : body.subarray(end + 1);
      nextLine++;
      if (body.length === 0) return;
    }
    let lines = 0;
    for (let i = body.indexOf(NEWLINE); i >= 0; i = body.indexOf(NEWLINE, i + 1)) lines++;
    await ctx.db
      .insertInto('import_chunks')
      .values({ import_id: jobId, seq, first_line: nextLine, bytes: body })
      .execute();
    seq++;
    nextLine += lines + (body[body.length - 1] === NEWLINE ? 0 : 1);
  };
  try {
    for await (const piece of source) {
      const buffer = typeof piece === 'string' ? Buffer.from(piece) : piece;
      total += buffer.length;
      pending.push(buffer);
      pendingBytes += buffer.length;
      if (pendingBytes < chunkBytes) continue;
      let joined = Buffer.concat(pending);
      // Cut at the first line end past chunkBytes, as often as the data in hand allows.
      for (
        let cut = joined.indexOf(NEWLINE, chunkBytes - 1);
        cut >= 0;
        cut = joined.indexOf(NEWLINE, chunkBytes - 1)
      ) {
        await store(joined.subarray(0, cut + 1));
        joined = joined.subarray(cut + 1);
      }
      pending = joined.length ? [Buffer.from(joined)] : [];
      pendingBytes = joined.length;
    }
    await store(Buffer.concat(pending));
    await ctx.db
      .updateTable('import_jobs')
      .set({ status: 'queued', chunks_total: seq, bytes_total: total, csv_header: header })
      .where('id', '=', jobId)
      .execute();
  } catch (error) {
    await markFailed(ctx, jobId, `the upload did not finish: ${(error as Error).message}`);
    throw error;
  }
}

/**
 * Gives a job up. With `owner`, only while that worker still holds it: a worker whose lease ran
 * out must not fail a job another has taken over.
 */
export async function markFailed(
  ctx: AppContext,
  jobId: string,
  failure: string,
  owner?: string,
): Promise<void> {
  let update = ctx.db
    .updateTable('import_jobs')
    .set({ status: 'failed', failure, finished_at: ctx.clock.now(), lease_owner: null, lease_until: null })
    .where('id', '=', jobId);
  if (owner !== undefined) update = update.where('lease_owner', '=', owner);
  await update.execute();
}

export async function findImportJob(ctx: AppContext, id: string): Promise<ImportJobRow | undefined> {
  return (await ctx.db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst()) as
    | ImportJobRow
    | undefined;
}

/**
 * Takes the oldest job nobody holds: queued, or running under a lease that ran out (its worker
 * died). SKIP LOCKED lets any number of processes look at once.
 */
export async function claimImportJob(
  ctx: AppContext,
  owner: string,
  leaseMs: number,
  onlyId?: string,
): Promise<ImportJobRow | null> {
  const now = ctx.clock.now();
  const { rows } = await sql<ImportJobRow>`
    update import_jobs set
      status = 'running', lease_owner = ${owner}, lease_until = ${new Date(now.getTime() + leaseMs)}::timestamptz,
      attempts = attempts + 1, started_at = coalesce(started_at, ${now}::timestamptz)
    where id = (
      select id from import_jobs
      where status in ('queued', 'running') and (lease_until is null or lease_until < ${now}::timestamptz)
        ${onlyId ? sql`and id = ${onlyId}` : sql``}
      order by created_at
      limit 1
      for update skip locked)
    returning *`.execute(ctx.db);
  return rows[0] ?? null;
}

/** The first `limit` per-line errors of a job, in line order: what a job's view shows inline. */
export const firstImportErrors = (ctx: AppContext, jobId: string, limit: number) =>
  ctx.db
    .selectFrom('import_errors')
    .select(['line', 'field', 'rule'])
    .where('import_id', '=', jobId)
    .orderBy('line')
    .limit(limit)
    .execute();

/** The per-line errors of a job, in line order, a page at a time (the download streams them). */
export async function* importErrorRows(
  ctx: AppContext,
  jobId: string,
  pageSize = 5000,
): AsyncGenerator<{ line: number; field: string; rule: string }> {
  let after = 0;
  let offsetInLine = 0;
  for (;;) {
    // (line, ctid) would page exactly; a line's few errors are re-read with an offset instead.
    const page = await ctx.db
      .selectFrom('import_errors')
      .select(['line', 'field', 'rule'])
      .where('import_id', '=', jobId)
      .where('line', '>=', after)
      .orderBy('line')
      .orderBy('field')
      .orderBy('rule')
      .offset(offsetInLine)
      .limit(pageSize)
      .execute();
    for (const row of page) yield row;
    if (page.length < pageSize) return;
    const last = page[page.length - 1] as { line: number };
    offsetInLine = page.filter((r) => r.line === last.line).length + (last.line === after ? offsetInLine : 0);
    after = last.line;
  }
}
