import { sql } from 'kysely';
import type { Principal, Role } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { transactionWithClient } from '../../platform/db/pg-client.ts';
import { json } from '../../platform/db/sql.ts';
import { breathe } from '../../platform/event-loop-turns.ts';
import { applyImportBatch } from './apply-batch.ts';
import { type CsvColumns, csvColumns, csvLineToValue } from './csv-records.ts';
import { claimImportJob, findImportJob, type ImportJobRow, markFailed } from './import-jobs.ts';
import {
  type ImportLineError,
  type ImportRecord,
  lineErrors,
  type Numbered,
  parseRecord,
} from './import-lines.ts';

/** Past this many stored errors a job still counts failed lines but keeps no more of them. */
export const MAX_STORED_ERRORS = 100_000;

/** A worker holds a job this long without finishing a chunk before another may take it over. */
export const IMPORT_LEASE_MS = 30_000;

export interface ImportRunOptions {
  owner: string;
  leaseMs?: number;
  /** Stops after this many chunks, as a crash would (tests of resuming). */
  stopAfterChunks?: number;
  /** A shutting-down process stops between chunks and hands the job back at once. */
  signal?: AbortSignal;
  onProgress?: (job: ImportJobRow) => void;
  /** Told as each chunk's transaction starts, and whether it runs beside the chunk before it. */
  onChunkStarted?: (seq: number, besideTheOneBefore: boolean) => void;
}

const NEWLINE = 0x0a;

async function parseChunk(
  job: ImportJobRow,
  columns: CsvColumns | null,
  firstLine: number,
  bytes: Buffer,
): Promise<{ records: Numbered<ImportRecord>[]; errors: ImportLineError[]; lines: number; failed: number }> {
  const records: Numbered<ImportRecord>[] = [];
  const errors: ImportLineError[] = [];
  let lines = 0;
  let failed = 0;
  // Line by line out of the bytes (a newline byte is never inside a UTF-8 character): no
  // megabyte string and array of lines is made at once, in one tick, to be collected later.
  for (let start = 0, index = 0; start < bytes.length; index++) {
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline < 0 ? bytes.length : newline;
    const raw = bytes.toString('utf8', start, end);
    start = end + 1;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') continue;
    lines++;
    const line = firstLine + index;
    try {
      const value = columns ? csvLineToValue(columns, text) : JSON.parse(text);
      records.push({ line, record: parseRecord(value, text) });
    } catch (error) {
      failed++;
      errors.push(...lineErrors(line, error));
    }
    await breathe();
  }
  if (job.format === 'csv' && !columns) throw new Error('a CSV import without its header');
  return { records, errors, lines, failed };
}

/** A stored chunk and its records, parsed; null when the chunk is gone (the job was finished). */
async function loadChunk(ctx: AppContext, job: ImportJobRow, columns: CsvColumns | null, seq: number) {
  const chunk = await ctx.db
    .selectFrom('import_chunks')
    .select(['first_line', 'bytes'])
    .where('import_id', '=', job.id)
    .where('seq', '=', seq)
    .executeTakeFirst();
  if (!chunk) return null;
  // A Buffer on both engines (PGLITE_BYTEA in platform/db/connect.ts).
  return { chunk, parsed: await parseChunk(job, columns, chunk.first_line, chunk.bytes) };
}

/** Thrown inside a chunk's transaction to roll its writes back: the job is no longer this worker's. */
class ChunkNotOurs extends Error {}

/** A chunk whose transaction is running: the one a chunk beside it waits for. */
interface Flight {
  /** Settles with applyChunk's answer once the transaction has ended. */
  applying: Promise<boolean>;
  /** Settles once the transaction holds its chunk's advisory lock, or has ended without it. */
  holding: Promise<void>;
  /** `ordersOnly` of its records. */
  orders: Set<string> | null;
}

/**
 * One chunk, its errors and the job's counters, in one transaction; false when the job is no
 * longer this worker's to write (lease lost, or the chunk already done by another).
 *
 * A chunk on its own locks and checks the job's row first, and holds it while it runs: a claimer
 * skips a locked job (`SKIP LOCKED`), so nobody takes it over mid-chunk, and a worker that lost it
 * writes nothing. A chunk applied beside the one before it (`before`, see runImportJob) must not
 * queue on that row while the other holds it: it writes its rows first, waits for the one before
 * to end, and only then locks and checks the row, so `chunks_done` still moves forward one chunk
 * at a time; a check that fails then rolls its rows back. Its rows are written under the lease the
 * one before holds, which that one's commit extends.
 *
 * The wait for the one before happens in the database, not only in Node: on PostgreSQL each chunk
 * first takes an advisory lock on (job, chunk), and the chunk beside it asks for that lock before
 * it locks the job's row. Two chunks of one job never wait on each other's rows (`applicableBeside`),
 * but another transaction may (another job writing the same orders): waiting in Node, the chunk
 * beside would hold its orders' rows while waiting for a chunk that waits for that transaction,
 * which waits for those rows, and PostgreSQL, seeing no wait of the first, would never break the
 * cycle. Waiting on the lock, it sees the cycle and fails one of them (a deadlock error: the job
 * is taken up again from its last chunk done once its lease runs out, as after any fault).
 */
async function applyChunk(
  ctx: AppContext,
  claimed: ImportJobRow,
  principal: Principal,
  options: ImportRunOptions,
  seq: number,
  { chunk, parsed }: NonNullable<Awaited<ReturnType<typeof loadChunk>>>,
  before: Flight | null,
  holding: () => void,
): Promise<boolean> {
  const leaseMs = options.leaseMs ?? IMPORT_LEASE_MS;
  // With its pg client on PostgreSQL: the batch's rows go in by COPY in this very transaction.
  return transactionWithClient(ctx.db, async (tx, client) => {
    // Beside the one before, whose commit has just released the job's row, a row still locked is
    // held by a worker that took the job over meanwhile: not waited for, this chunk is not ours.
    // (Rarely it is a stale worker or a claimer finding the lease unexpired, which lets go at once:
    // then this worker stops as 'lost' and the job waits for its lease, with nothing lost or doubled.)
    const lockAndCheck = async (beside: boolean) => {
      let locking = tx
        .selectFrom('import_jobs')
        .select(['chunks_done', 'lease_owner', 'failed', 'by_kind', 'status'])
        .where('id', '=', claimed.id)
        .forUpdate();
      if (beside) locking = locking.skipLocked();
      const job = await locking.executeTakeFirst();
      if (!job || job.lease_owner !== options.owner || job.chunks_done !== seq || job.status !== 'running')
        throw new ChunkNotOurs();
      return job;
    };
    // Takes no row: nothing but a worker on this very chunk can make it wait.
    if (ctx.engine === 'postgres')
      await sql`select pg_advisory_xact_lock(hashtext(${claimed.id}), ${seq})`.execute(tx);
    holding();
    // Before any row is written: waiting here in Node, this chunk holds nothing anyone else waits
    // for but its own advisory lock, and the one before holds (or is about to hold) its own.
    if (before) await before.holding;
    const first = before ? null : await lockAndCheck(false);
    const applied = await applyImportBatch(tx, client, ctx, principal, parsed.records);
    if (before) {
      await sql`select pg_advisory_xact_lock_shared(hashtext(${claimed.id}), ${seq - 1})`.execute(tx);
      if (!(await before.applying)) throw new ChunkNotOurs();
    }
    const job = first ?? (await lockAndCheck(true));
    const errors = [...parsed.errors, ...applied.errors]
      .sort((a, b) => a.line - b.line)
      .slice(0, Math.max(0, MAX_STORED_ERRORS - job.failed));
    if (errors.length) {
      await sql`
        insert into import_errors (import_id, line, field, rule)
        select ${claimed.id}, * from unnest(${errors.map((e) => e.line)}::int[],
          ${errors.map((e) => e.field)}::text[], ${errors.map((e) => e.rule)}::text[])`.execute(tx);
    }
    const byKind = { ...job.by_kind };
    for (const [kind, n] of Object.entries(applied.byKind)) byKind[kind] = (byKind[kind] ?? 0) + n;
    await tx
      .updateTable('import_jobs')
      .set((eb) => ({
        chunks_done: seq + 1,
        bytes_done: eb('bytes_done', '+', chunk.bytes.length),
        lines: eb('lines', '+', parsed.lines),
        imported: eb('imported', '+', applied.imported),
        failed: eb('failed', '+', parsed.failed + applied.failed),
        by_kind: json(byKind),
        lease_until: new Date(ctx.clock.now().getTime() + leaseMs),
      }))
      .where('id', '=', claimed.id)
      .execute();
    return true;
  }).catch((error: unknown) => {
    if (error instanceof ChunkNotOurs) return false;
    throw error;
  });
}

/**
 * The ids of the orders in a chunk that holds nothing but orders; null for any other chunk.
 *
 * Such a chunk writes only its orders' rows and their lines. The customers, marketplaces,
 * products and sellers it refers to it only reads, and its foreign keys take key-share locks on
 * them, which never wait for one another. So two such chunks with no order in common touch no row
 * in common and can be applied at once, each by its own backend, with the same outcome as one
 * after the other. Any other kind may be referred to by a later line (an order to a customer
 * created just before it), which a transaction beside it could not see yet.
 */
export function ordersOnly(records: readonly Numbered<ImportRecord>[]): Set<string> | null {
  const ids = new Set<string>();
  for (const { record } of records) {
    if (record.kind !== 'order') return null;
    ids.add(record.id);
  }
  return ids;
}

/** Whether a chunk may be applied beside the one before it (both `ordersOnly`, no order in both). */
export function applicableBeside(before: Set<string> | null, next: Set<string> | null): boolean {
  if (!before || !next) return false;
  for (const id of next) if (before.has(id)) return false;
  return true;
}

/**
 * Applies a claimed job's chunks from the first one not done. Each chunk, its errors and the
 * job's counters commit in one transaction, so a crash between two chunks loses nothing and
 * applies nothing twice; the lease is checked in that transaction too, so a worker that lost
 * its job (it stalled, another took over) stops, and whatever it wrote is rolled back.
 */
export async function runImportJob(
  ctx: AppContext,
  claimed: ImportJobRow,
  options: ImportRunOptions,
): Promise<'succeeded' | 'failed' | 'lost' | 'stopped'> {
  const principal: Principal = {
    role: claimed.created_by_role as Role | 'system',
    partyId: null,
    keyId: claimed.created_by_role === 'system' ? null : claimed.created_by,
    requestId: null,
  };
  let columns: CsvColumns | null = null;
  try {
    columns = claimed.format === 'csv' ? csvColumns(claimed.csv_header ?? '') : null;
  } catch (error) {
    await markFailed(ctx, claimed.id, (error as Error).message);
    return 'failed';
  }
  // On PostgreSQL the next chunk is read and parsed while this one's transaction runs: parsing
  // is this process's work and the transaction the server's, so the two overlap instead of
  // taking turns (PGlite runs SQL on this very thread: there is nothing to overlap, and it reads
  // nothing ahead). However the loop ends, it waits for the read-ahead: nothing runs on after it.
  const onServer = ctx.engine === 'postgres';
  const load = (seq: number) => {
    const loading = loadChunk(ctx, claimed, columns, seq);
    loading.catch(() => undefined); // awaited below or in `finally`: never an unhandled rejection
    return loading;
  };
  let ahead = onServer && claimed.chunks_done < claimed.chunks_total ? load(claimed.chunks_done) : null;
  // Also on PostgreSQL, a chunk of orders only is applied beside the chunk before it when no
  // order is in both (`applicableBeside`): one backend's CPU was the import's limit, COPY's own
  // foreign-key checks and index inserts (docs/performance.md), and a second backend takes half.
  // At most two are in flight; the later commits after the earlier (applyChunk's `before`).
  let inFlight: Flight | null = null;
  const applying = new Set<Promise<boolean>>(); // every chunk not yet awaited, for `finally`
  // Waits for a chunk in flight; false when it found the job no longer this worker's.
  const landed = async (flight: Flight | null): Promise<boolean> => {
    if (!flight) return true;
    const ok = await flight.applying;
    applying.delete(flight.applying);
    if (!ok) return false;
    if (options.onProgress) {
      const now = await findImportJob(ctx, claimed.id);
      if (now) options.onProgress(now);
    }
    return true;
  };
  const settle = () => {
    const flight = inFlight;
    inFlight = null;
    return landed(flight);
  };
  try {
    let started = 0;
    for (let seq = claimed.chunks_done; seq < claimed.chunks_total; seq++) {
      if (options.stopAfterChunks !== undefined && started >= options.stopAfterChunks)
        return (await settle()) ? 'stopped' : 'lost';
      if (options.signal?.aborted) {
        if (!(await settle())) return 'lost';
        await ctx.db
          .updateTable('import_jobs')
          .set({ lease_owner: null, lease_until: null })
          .where('id', '=', claimed.id)
          .where('lease_owner', '=', options.owner)
          .execute();
        return 'stopped';
      }
      // A chunk nothing may run beside is done before the next is read (as before chunks could
      // go side by side). Two chunks side by side and the one read ahead are three held at once.
      if (inFlight?.orders === null && !(await settle())) return 'lost';
      const current = await (ahead ?? load(seq));
      ahead = null;
      // Gone: another worker finished the job (and dropped its feed) after this one lost the lease.
      if (!current) {
        await settle();
        return 'lost';
      }
      const orders = onServer ? ordersOnly(current.parsed.records) : null;
      if (inFlight && !applicableBeside(inFlight.orders, orders) && !(await settle())) return 'lost';
      ahead = onServer && seq + 1 < claimed.chunks_total ? load(seq + 1) : null;
      const before: Flight | null = inFlight;
      let held = () => {};
      const holding = new Promise<void>((resolve) => {
        held = resolve;
      });
      const flight: Flight = {
        applying: applyChunk(ctx, claimed, principal, options, seq, current, before, held),
        holding,
        orders,
      };
      flight.applying.catch(() => undefined).finally(held); // awaited by landed, or in `finally`
      applying.add(flight.applying);
      inFlight = flight;
      started++;
      options.onChunkStarted?.(seq, before !== null);
      // The one before commits first (its successor waits for it); only then may a third start.
      if (!(await landed(before))) {
        await settle(); // rolls back: the one before did not commit
        return 'lost';
      }
    }
    if (!(await settle())) return 'lost';
  } finally {
    await Promise.allSettled([...applying]);
    await ahead?.catch(() => undefined);
  }
  const finished = await ctx.db
    .updateTable('import_jobs')
    .set({ status: 'succeeded', finished_at: ctx.clock.now(), lease_owner: null, lease_until: null })
    .where('id', '=', claimed.id)
    .where('lease_owner', '=', options.owner)
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (Number(finished.numUpdatedRows) === 0) return 'lost';
  // The feed has been applied: its bytes are not kept (the errors file and counts are).
  await ctx.db.deleteFrom('import_chunks').where('import_id', '=', claimed.id).execute();
  return 'succeeded';
}

/** Runs every import job nobody holds until none is left; the number of jobs finished. */
export async function runImportJobs(
  ctx: AppContext,
  options: Omit<ImportRunOptions, 'stopAfterChunks'>,
): Promise<number> {
  let finished = 0;
  for (;;) {
    if (options.signal?.aborted) return finished;
    const job = await claimImportJob(ctx, options.owner, options.leaseMs ?? IMPORT_LEASE_MS);
    if (!job) return finished;
    try {
      if ((await runImportJob(ctx, job, options)) === 'succeeded') finished++;
    } catch (error) {
      // A fault that is not a bad line (the database went away): the lease runs out and the
      // next pass resumes from the last chunk done. A job that keeps failing is given up.
      ctx.log.error({ err: error, importId: job.id, attempt: job.attempts }, 'import job failed');
      if (job.attempts >= 5) await markFailed(ctx, job.id, (error as Error).message, options.owner);
      return finished;
    }
  }
}
