import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A payout waits while a flag is open on its claim: 'held' (never leased) until an agent or
    -- expert releases it (back to 'pending') or cancels it ('cancelled', the accrual reversed).
    -- A flag that arrives while the provider is being asked sets held_at on the executing
    -- payout, so its settlement sends the claim to recovery from the claimant.
    alter table payouts drop constraint payouts_status_check;
    alter table payouts add constraint payouts_status_check
      check (status in ('pending','executing','settled','failed','held','cancelled'));
    alter table payouts add column held_at timestamptz;
    alter table payouts add column hold_reason text;

    -- A claim filed saying photos are coming: its payout waits for them until this moment.
    alter table claims add column evidence_due_at timestamptz;

    -- A recovery's debtor is the seller (it paid in the seller's place) or the claimant (a flag
    -- raised after the money left); a claim may have one of each.
    alter table recoveries add column debtor text not null default 'seller'
      check (debtor in ('seller','customer'));
    alter table recoveries add column customer_id text;
    alter table recoveries alter column seller_id drop not null;
    alter table recoveries drop constraint recoveries_claim_id_key;
    create unique index recoveries_one_per_debtor on recoveries (claim_id, debtor);
    alter table recoveries add constraint recoveries_debtor_party check (
      (debtor = 'seller' and seller_id is not null) or (debtor = 'customer' and customer_id is not null));
  `.execute(db);
}
