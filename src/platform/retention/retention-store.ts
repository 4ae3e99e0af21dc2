import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/sql.ts';

/**
 * One statement per batch and table: PostgreSQL's DELETE has no LIMIT, so each picks its
 * oldest rows by the index its age is read from (migration 0017) and skips rows another worker
 * holds. Each returns how many rows it removed.
 */

const deleted = (result: { numAffectedRows?: bigint }) => Number(result.numAffectedRows ?? 0n);

/**
 * An outbox message goes only once nothing is left to do with it: fanned out, relayed to the
 * stream when one is configured, every webhook delivered and every mail sent. A dead-lettered
 * delivery or mail keeps its message (it may be replayed). Its delivered webhook rows, their
 * attempts and its sent mails go with it, in the same statement, so no reference dangles.
 */
export async function deleteDeliveredMessages(
  db: Db,
  options: { before: Date; requireRelay: boolean; limit: number },
): Promise<number> {
  // Counted by its returned rows: a statement that opens with WITH reports no affected rows on PGlite.
  const result = await sql<{ id: number }>`
    with doomed as (
      select o.id from outbox o
      where o.fanned_out_at is not null
        and o.created_at < ${options.before}
        and (${!options.requireRelay} or o.relayed_at is not null)
        and not exists (select 1 from webhook_deliveries d where d.outbox_id = o.id and d.status <> 'delivered')
        and not exists (select 1 from mail_deliveries m where m.outbox_id = o.id and m.status <> 'sent')
      order by o.id
      limit ${options.limit}
      for update skip locked
    ),
    attempts as (
      delete from webhook_attempts a using webhook_deliveries d
      where a.delivery_id = d.id and d.outbox_id in (select id from doomed)
    ),
    deliveries as (delete from webhook_deliveries where outbox_id in (select id from doomed)),
    mails as (delete from mail_deliveries where outbox_id in (select id from doomed))
    delete from outbox where id in (select id from doomed) returning id
  `.execute(db);
  return result.rows.length;
}

/** Attempt logs of deliveries that succeeded; a failing or dead delivery keeps its whole story. */
export async function deleteWebhookAttempts(
  db: Db,
  options: { before: Date; limit: number },
): Promise<number> {
  const result = await sql`
    delete from webhook_attempts where (delivery_id, attempt) in (
      select a.delivery_id, a.attempt from webhook_attempts a
      join webhook_deliveries d on d.id = a.delivery_id
      where a.at < ${options.before} and d.status = 'delivered'
      order by a.at
      limit ${options.limit}
      for update of a skip locked
    )
  `.execute(db);
  return deleted(result);
}

/** Deletes up to `limit` rows of one table that `expired` selects, oldest first, by primary key. */
async function deleteOldestExpired(
  db: Db,
  target: { table: string; key: string[]; expired: RawBuilder<unknown>; oldestFirst: string },
  limit: number,
): Promise<number> {
  const table = sql.table(target.table);
  const key = sql.join(target.key.map((column) => sql.ref(column)));
  const result = await sql`
    delete from ${table} where (${key}) in (
      select ${key} from ${table}
      where ${target.expired}
      order by ${sql.ref(target.oldestFirst)}
      limit ${limit}
      for update skip locked
    )
  `.execute(db);
  return deleted(result);
}

export const deleteFiredTimers = (db: Db, options: { before: Date; limit: number }) =>
  deleteOldestExpired(
    db,
    {
      table: 'timers',
      key: ['id'],
      expired: sql`fired_at is not null and fired_at < ${options.before}`,
      oldestFirst: 'fired_at',
    },
    options.limit,
  );

/** A session that expired or was revoked before the cutoff; a live session is never touched. */
export const deleteEndedSessions = (db: Db, options: { before: Date; limit: number }) =>
  deleteOldestExpired(
    db,
    {
      table: 'sessions',
      key: ['token_sha256'],
      expired: sql`expires_at < ${options.before} or revoked_at < ${options.before}`,
      oldestFirst: 'expires_at',
    },
    options.limit,
  );

export const deleteIdempotencyRecords = (db: Db, options: { before: Date; limit: number }) =>
  deleteOldestExpired(
    db,
    {
      table: 'idempotency_keys',
      key: ['principal', 'operation', 'key'],
      expired: sql`created_at < ${options.before}`,
      oldestFirst: 'created_at',
    },
    options.limit,
  );
