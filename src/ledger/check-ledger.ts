import { sql } from 'kysely';
import type { Queryable } from '../platform/db/sql.ts';

export interface LedgerCheck {
  ok: boolean;
  entries: number;
  accounts: number;
  problems: string[];
}

/**
 * Proves the books: every entry balances per currency, every cached balance (a shared account's
 * row and stripes together) equals the sum of its lines, no claim has more than one payout or settlement, and every settled marketplace
 * payout is in the ledger exactly once.
 */
export async function checkLedger(db: Queryable): Promise<LedgerCheck> {
  const problems: string[] = [];
  const unbalanced = await sql<{ entry_id: string; currency: string; total: number }>`
    select entry_id, currency, sum(amount)::bigint as total from journal_lines
    group by entry_id, currency having sum(amount) <> 0`.execute(db);
  for (const r of unbalanced.rows)
    problems.push(`entry ${r.entry_id} does not balance in ${r.currency}: off by ${r.total}`);

  // A shared account's balance is its row plus its stripes (migration 0019_c): both parts are checked.
  const drifted = await sql<{ id: string; balance: number; total: number }>`
    with balances as (
      select a.id, (a.balance + coalesce((select sum(s.balance) from ledger_balance_stripes s
        where s.account_id = a.id), 0))::bigint as balance from ledger_accounts a)
    select b.id, b.balance, coalesce(sum(l.amount), 0)::bigint as total
    from balances b left join journal_lines l on l.account_id = b.id
    group by b.id, b.balance having b.balance <> coalesce(sum(l.amount), 0)`.execute(db);
  for (const r of drifted.rows)
    problems.push(`account ${r.id} shows ${r.balance} but its entries sum to ${r.total}`);

  const paidTwice = await sql<{ claim_id: string; n: number }>`
    select claim_id, count(*)::bigint as n from journal_entries where kind = 'payout_settled'
    group by claim_id having count(*) > 1`.execute(db);
  for (const r of paidTwice.rows) problems.push(`claim ${r.claim_id} was paid ${r.n} times`);

  const unbooked = await sql<{ id: string; claim_id: string; booked: number }>`
    select p.id, p.claim_id, count(e.id)::bigint as booked from payouts p
    left join journal_entries e on e.claim_id = p.claim_id and e.kind = 'payout_settled'
    where p.payer = 'marketplace' and p.status = 'settled'
    group by p.id, p.claim_id having count(e.id) <> 1`.execute(db);
  for (const r of unbooked.rows)
    problems.push(`payout ${r.id} of claim ${r.claim_id} is settled but booked ${r.booked} times`);

  const counts = await sql<{ entries: number; accounts: number }>`
    select (select count(*) from journal_entries)::bigint as entries, (select count(*) from ledger_accounts)::bigint as accounts`.execute(
    db,
  );
  const { entries = 0, accounts = 0 } = counts.rows[0] ?? {};
  return { ok: problems.length === 0, entries: Number(entries), accounts: Number(accounts), problems };
}
