import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The marketplace's own accounts (guarantee_fund, marketplace_cash) are posted to by every
    -- marketplace-paid filing and every settled payout. One balance row per account made every such
    -- transaction queue on that row's lock until commit. Their running balance is striped instead:
    -- each database session adds to its own stripe (pg_backend_pid() % 16), and an account's balance
    -- is ledger_accounts.balance plus the sum of its stripes (docs/performance.md, "No hot row").
    -- The journal stays the record; 'redress ledger check' compares both sums with it.
    create table ledger_balance_stripes (
      account_id text not null references ledger_accounts(id),
      stripe smallint not null,
      balance bigint not null default 0,
      primary key (account_id, stripe)
    );

    -- A payout that becomes pending wakes the payout workers when its transaction commits
    -- (NOTIFY is delivered at commit, never for a rolled-back one), so a clean small claim is paid
    -- in milliseconds instead of at the next poll; the poll stays as the fallback. A trigger, not a
    -- statement in the use case: it costs the filing no round trip.
    create function payouts_notify_due() returns trigger language plpgsql as $$
    begin
      perform pg_notify('redress_payouts_due', '');
      return null;
    end $$;
    create trigger payouts_notify_due after insert or update of status on payouts
      for each row when (new.status = 'pending') execute function payouts_notify_due();
  `.execute(db);
}
