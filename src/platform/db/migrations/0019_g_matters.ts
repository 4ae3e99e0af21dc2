import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A claim in litigation (the claimant sued, or counsel is involved) is a matter: while
    -- matter_opened_at is set, no timer moves the claim and nothing closes it but a person.
    alter table claims add column matter_opened_at timestamptz;
    create table matters (
      claim_id text primary key references claims (id),
      marketplace_id text not null references marketplaces (id),
      cause text not null check (cause in ('claimant_sued', 'counsel_involved')),
      -- Counsel's and the court's details are staff-only; counsel's name and contact are sealed
      -- with the claimant's data key (personal data, erased with the claimant's).
      counsel text,
      court text,
      case_number text,
      opened_at timestamptz not null,
      opened_by_role text not null,
      opened_by_id text,
      closed_at timestamptz,
      closed_by_role text,
      closed_by_id text,
      closing_note text
    );
  `.execute(db);
}
