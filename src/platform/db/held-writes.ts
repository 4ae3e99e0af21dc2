import type { QueryCreator } from 'kysely';
import type { Database } from './database.ts';
import { perTransaction } from './per-transaction.ts';
import type { Queryable } from './sql.ts';

/**
 * Writes a use case holds back so that they go to the database with the transaction's last
 * statement, as data-modifying CTEs of it: one round trip instead of one per write. A filing
 * holds its new claim's history (claims/history.ts) and the idempotency record joins it
 * (platform/idempotency.ts), so the claim's events, outbox messages, final state and the stored
 * answer are one statement. A payout's settlement (ledger/execute-payouts.ts) holds its locked
 * claim's history, the payout's update and the recovery it opens, and writes them last.
 *
 * Data-modifying CTEs run in one snapshot and none sees another's rows, so only independent
 * writes may be held: rows nothing else in the statement reads. Whoever reads what a held
 * write would change must call `writeHeld` first (`lockClaim` does); whoever holds writes must
 * make sure `writeHeld` runs before commit (the filing's callers and `settlePayout` do).
 */
export type HeldWrite = (qc: QueryCreator<Database>) => HeldStatement;
/** An insert, update or delete builder; its result is not read. */
type HeldStatement = { execute(): Promise<unknown> };

/** Per transaction, the held parts, built when written. */
const held = perTransaction<(() => HeldWrite[])[]>(() => []);

/** Holds writes whose parts are built when `writeHeld` runs (they may grow until then). */
export function holdWrites(db: Queryable, parts: () => HeldWrite[]): void {
  held.of(db).push(parts);
}

/**
 * Whether the transaction holds writes now: its owner then runs `writeHeld` before commit, so an
 * independent write may join them instead of going on its own (a settlement's recovery).
 */
export const writesHeld = (db: Queryable): boolean => (held.peek(db)?.length ?? 0) > 0;

/** Sends the held writes, and `last` (the caller's own write) with them, as one statement. */
export async function writeHeld(db: Queryable, last?: HeldWrite): Promise<void> {
  const sources = held.peek(db) ?? [];
  held.drop(db);
  const parts = sources.flatMap((source) => source());
  if (last) parts.push(last);
  const main = parts.pop();
  if (!main) return;
  let creator: QueryCreator<Database> = db;
  for (const [index, part] of parts.entries()) {
    creator = creator.with(`held_${index}`, part as never) as unknown as QueryCreator<Database>;
  }
  await main(creator).execute();
}
