import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The language classifier's fuller verdict: secondary hazards, a confidence, and why a
    -- person should code the claim. A claim awaiting coding (review_status 'pending') raises no
    -- alert; once coded, hazard and severity hold the person's coding (a label for the fitted
    -- model) and machine_hazard and machine_severity keep what the machine said.
    alter table claim_hazards
      add column secondary jsonb not null default '[]',
      add column confidence real not null default 1,
      add column review_reasons jsonb not null default '[]',
      add column review_status text check (review_status in ('pending', 'coded')),
      add column machine_hazard text,
      add column machine_severity int,
      add column coded_by text,
      add column coded_at timestamptz;
    create index claim_hazards_review on claim_hazards (marketplace_id, filed_at) where review_status = 'pending';
    create index claim_hazards_coded on claim_hazards (marketplace_id, coded_at) where review_status = 'coded';
  `.execute(db);
}
