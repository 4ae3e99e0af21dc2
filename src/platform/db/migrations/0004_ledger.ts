import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table claims add column insurer_id text;
    alter table claims add column payment_deadline timestamptz;

    create table ledger_accounts (
      id text primary key,
      marketplace_id text not null references marketplaces(id),
      kind text not null,
      party_id text,
      currency text not null,
      -- Kept in step with journal_lines by every posting; 'redress ledger check' proves it.
      balance bigint not null default 0,
      created_at timestamptz not null
    );
    create index ledger_accounts_party on ledger_accounts (party_id);

    create table journal_entries (
      id text primary key,
      marketplace_id text not null,
      claim_id text,
      kind text not null,
      memo text,
      reverses_entry_id text references journal_entries(id),
      created_at timestamptz not null
    );
    create index journal_entries_claim on journal_entries (claim_id);

    -- Signed amounts: positive debits, negative credits. Each entry's lines sum to zero.
    create table journal_lines (
      entry_id text not null references journal_entries(id),
      line_no int not null,
      account_id text not null references ledger_accounts(id),
      amount bigint not null check (amount <> 0),
      currency text not null,
      primary key (entry_id, line_no)
    );
    create index journal_lines_account on journal_lines (account_id, entry_id);

    -- The ledger is append-only: a correction is a new, reversing entry.
    create function ledger_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'the ledger is append-only: % on % is not allowed', tg_op, tg_table_name;
    end $$;
    create trigger journal_entries_append_only before update or delete on journal_entries
      for each row execute function ledger_append_only();
    create trigger journal_lines_append_only before update or delete on journal_lines
      for each row execute function ledger_append_only();

    -- Checked at commit, so an entry's lines can be inserted one by one within its transaction.
    create function journal_entry_balances() returns trigger language plpgsql as $$
    declare unbalanced record;
    begin
      select currency, sum(amount) as total into unbalanced
        from journal_lines where entry_id = new.entry_id
        group by currency having sum(amount) <> 0 limit 1;
      if found then
        raise exception 'journal entry % does not balance in %: off by %', new.entry_id, unbalanced.currency, unbalanced.total;
      end if;
      return null;
    end $$;
    create constraint trigger journal_lines_balance after insert on journal_lines
      deferrable initially deferred for each row execute function journal_entry_balances();

    -- Money to a customer for a claim, whoever pays it. One per claim: never paid twice.
    create table payouts (
      id text primary key,
      claim_id text not null unique references claims(id),
      marketplace_id text not null,
      customer_id text not null,
      payer text not null check (payer in ('marketplace','seller','insurer')),
      amount bigint not null check (amount > 0),
      currency text not null,
      provider text not null,
      status text not null check (status in ('pending','executing','settled','failed')),
      attempts int not null default 0,
      next_attempt_at timestamptz,
      lease_until timestamptz,
      provider_reference text,
      last_error text,
      created_at timestamptz not null,
      settled_at timestamptz
    );
    create index payouts_due on payouts (next_attempt_at) where status in ('pending','executing');

    create table recoveries (
      id text primary key,
      claim_id text not null unique references claims(id),
      marketplace_id text not null,
      seller_id text not null,
      insurer_id text,
      amount bigint not null,
      currency text not null,
      status text not null check (status in ('waived','pending','offset','invoiced','tendered_to_insurer','recovered','written_off')),
      waiver_reason text,
      offset_amount bigint not null default 0,
      recovered_amount bigint not null default 0,
      written_off_amount bigint not null default 0,
      written_off_reason text,
      due_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index recoveries_seller on recoveries (seller_id, status);
  `.execute(db);
}
