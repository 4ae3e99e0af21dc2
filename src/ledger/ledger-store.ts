import { sql } from 'kysely';
import type { Clock } from '../platform/clock.ts';
import type { Queryable, Tx } from '../platform/db/sql.ts';
import { newId } from '../platform/ids.ts';
import { type AccountRef, accountId } from './accounts.ts';
import type { Posting } from './postings.ts';

/**
 * How many balance stripes a shared account has. Each database session adds to stripe
 * `pg_backend_pid() % STRIPES`: a pool's connections have distinct pids, so concurrent filings
 * rarely meet on one row, and a reader sums at most this many rows.
 */
export const STRIPES = 16;

/**
 * The marketplace's own accounts (the guarantee fund, its cash) take a line from every
 * marketplace-paid claim and every payout; a party's account (one customer, seller or insurer)
 * is touched by that party's claims only. Shared accounts keep their running balance in stripes.
 */
const isShared = (ref: { partyId: string | null }) => ref.partyId === null;

/**
 * Writes one journal entry and moves the cached balances, in the caller's transaction, in one
 * statement: the entry, its lines, the party accounts (created on first use, their balance moved
 * in the same upsert, in id order so two postings lock them in the same order and cannot
 * deadlock) and the shared accounts' stripes. A shared account's own row is only inserted if
 * missing (`do nothing` takes no lock), so no two filings of a marketplace queue on one row.
 */
export async function post(
  tx: Tx,
  clock: Clock,
  entry: { marketplaceId: string; currency: string; claimId: string | null; posting: Posting },
): Promise<string> {
  const now = clock.now();
  const id = newId('journalEntry', clock);
  const lines = entry.posting.lines.map((line, index) => ({
    ...line,
    lineNo: index + 1,
    accountId: accountId(entry.marketplaceId, line.account),
  }));
  // One balance move per account, so no upsert touches a row twice.
  const moves = new Map<string, { ref: AccountRef; amount: number }>();
  for (const line of lines) {
    const move = moves.get(line.accountId) ?? { ref: line.account, amount: 0 };
    move.amount += line.amount;
    moves.set(line.accountId, move);
  }
  const sorted = [...moves.entries()].sort(([a], [b]) => a.localeCompare(b));
  const account = (id: string, ref: AccountRef, balance: number) =>
    sql`(${id}, ${entry.marketplaceId}, ${ref.kind}, ${ref.partyId}, ${entry.currency}, ${balance}::bigint, ${now})`;
  const party = sorted.filter(([, m]) => !isShared(m.ref));
  const shared = sorted.filter(([, m]) => isShared(m.ref));
  const ctes = [
    sql`entry as (insert into journal_entries (id, marketplace_id, claim_id, kind, memo, reverses_entry_id, created_at)
      values (${id}, ${entry.marketplaceId}, ${entry.claimId}, ${entry.posting.kind}, ${entry.posting.memo}, null, ${now}))`,
  ];
  if (party.length > 0) {
    ctes.push(sql`party_accounts as (insert into ledger_accounts (id, marketplace_id, kind, party_id, currency, balance, created_at)
      values ${sql.join(party.map(([accountId, m]) => account(accountId, m.ref, m.amount)))}
      on conflict (id) do update set balance = ledger_accounts.balance + excluded.balance)`);
  }
  if (shared.length > 0) {
    ctes.push(sql`shared_accounts as (insert into ledger_accounts (id, marketplace_id, kind, party_id, currency, balance, created_at)
      values ${sql.join(shared.map(([accountId, m]) => account(accountId, m.ref, 0)))}
      on conflict (id) do nothing)`);
    ctes.push(sql`stripes as (insert into ledger_balance_stripes (account_id, stripe, balance)
      values ${sql.join(shared.map(([accountId, m]) => sql`(${accountId}, (pg_backend_pid() % ${sql.lit(STRIPES)})::smallint, ${m.amount}::bigint)`))}
      on conflict (account_id, stripe) do update set balance = ledger_balance_stripes.balance + excluded.balance)`);
  }
  await sql`with ${sql.join(ctes)}
    insert into journal_lines (entry_id, line_no, marketplace_id, account_id, amount, currency)
    values ${sql.join(lines.map((l) => sql`(${id}, ${l.lineNo}, ${entry.marketplaceId}, ${l.accountId}, ${l.amount}::bigint, ${entry.currency})`))}`.execute(
    tx,
  );
  return id;
}

/** An account's balance: its own row plus its stripes (a party account has none). */
const stripedBalance = sql<number>`(ledger_accounts.balance + coalesce((select sum(s.balance) from ledger_balance_stripes s where s.account_id = ledger_accounts.id), 0))::bigint`;

export const findAccount = (db: Queryable, id: string) =>
  db
    .selectFrom('ledger_accounts')
    .select(['id', 'marketplace_id', 'kind', 'party_id', 'currency', 'created_at'])
    .select(stripedBalance.as('balance'))
    .where('id', '=', id)
    .executeTakeFirst();

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
