import type { Clock } from '../platform/clock.ts';
import type { Queryable, Tx } from '../platform/db/sql.ts';
import { newId } from '../platform/ids.ts';
import { accountId } from './accounts.ts';
import type { Posting } from './postings.ts';

/**
 * Writes one journal entry and moves the cached balances, in the caller's transaction.
 * Accounts are created on first use and updated in id order, so two postings touching the
 * same accounts lock them in the same order and cannot deadlock.
 */
export async function post(
  tx: Tx,
  clock: Clock,
  entry: { marketplaceId: string; currency: string; claimId: string | null; posting: Posting },
): Promise<string> {
  const now = clock.now();
  const id = newId('journalEntry', clock);
  await tx
    .insertInto('journal_entries')
    .values({
      id,
      marketplace_id: entry.marketplaceId,
      claim_id: entry.claimId,
      kind: entry.posting.kind,
      memo: entry.posting.memo,
      reverses_entry_id: null,
      created_at: now,
    })
    .execute();
  const lines = entry.posting.lines.map((line, index) => ({
    ...line,
    index,
    accountId: accountId(entry.marketplaceId, line.account),
  }));
  for (const line of [...lines].sort((a, b) => a.accountId.localeCompare(b.accountId))) {
    await tx
      .insertInto('ledger_accounts')
      .values({
        id: line.accountId,
        marketplace_id: entry.marketplaceId,
        kind: line.account.kind,
        party_id: line.account.partyId,
        currency: entry.currency,
        created_at: now,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    await tx
      .updateTable('ledger_accounts')
      .set((eb) => ({ balance: eb('balance', '+', line.amount) }))
      .where('id', '=', line.accountId)
      .execute();
  }
  await tx
    .insertInto('journal_lines')
    .values(
      lines.map((line) => ({
        entry_id: id,
        line_no: line.index + 1,
        account_id: line.accountId,
        amount: line.amount,
        currency: entry.currency,
      })),
    )
    .execute();
  return id;
}

export const findAccount = (db: Queryable, id: string) =>
  db.selectFrom('ledger_accounts').selectAll().where('id', '=', id).executeTakeFirst();

export async function accountBalance(db: Queryable, id: string): Promise<number> {
  return (await findAccount(db, id))?.balance ?? 0;
}

export const accountEntries = (
  db: Queryable,
  accountId: string,
  options: { cursor?: string; limit: number },
) => {
  let query = db
    .selectFrom('journal_lines')
    .innerJoin('journal_entries', 'journal_entries.id', 'journal_lines.entry_id')
    .select([
      'journal_entries.id',
      'journal_entries.kind',
      'journal_entries.memo',
      'journal_entries.claim_id',
      'journal_entries.created_at',
      'journal_lines.amount',
      'journal_lines.currency',
    ])
    .where('journal_lines.account_id', '=', accountId);
  if (options.cursor) query = query.where('journal_entries.id', '<', options.cursor);
  return query.orderBy('journal_entries.id', 'desc').limit(options.limit).execute();
};

/** Every journal entry booked for a claim, oldest first, with its lines. */
export async function claimEntries(db: Queryable, claimId: string) {
  const rows = await db
    .selectFrom('journal_entries')
    .innerJoin('journal_lines', 'journal_lines.entry_id', 'journal_entries.id')
    .select([
      'journal_entries.id',
      'journal_entries.kind',
      'journal_entries.memo',
      'journal_entries.created_at',
      'journal_lines.line_no',
      'journal_lines.account_id',
      'journal_lines.amount',
      'journal_lines.currency',
    ])
    .where('journal_entries.claim_id', '=', claimId)
    .orderBy('journal_entries.id')
    .orderBy('journal_lines.line_no')
    .execute();
  const entries = new Map<
    string,
    {
      id: string;
      kind: string;
      memo: string | null;
      at: string;
      lines: { accountId: string; amount: { value: number; currency: string } }[];
    }
  >();
  for (const r of rows) {
    const entry = entries.get(r.id) ?? {
      id: r.id,
      kind: r.kind,
      memo: r.memo,
      at: r.created_at.toISOString(),
      lines: [],
    };
    entry.lines.push({ accountId: r.account_id, amount: { value: r.amount, currency: r.currency } });
    entries.set(r.id, entry);
  }
  return [...entries.values()];
}
