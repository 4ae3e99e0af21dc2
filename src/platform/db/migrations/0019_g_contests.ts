import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A seller (or its insurer) contests how the marketplace resolved a claim: a small claim paid,
    -- a step-in, a recovery charged. One per claim: the decision on a contest is final (a contest
    -- of a contest is refused), so the unique claim_id is the rule, not only a check in code.
    create table contests (
      id text primary key,
      claim_id text not null unique references claims (id),
      marketplace_id text not null references marketplaces (id),
      seller_id text not null references sellers (id),
      status text not null check (status in ('open', 'upheld', 'reversed')),
      reason text not null,
      evidence_ids jsonb not null default '[]',
      filed_by_role text not null,
      filed_by_id text,
      window_closed_at timestamptz not null,
      filed_at timestamptz not null,
      decided_at timestamptz,
      decided_by_role text,
      decided_by_id text,
      decision_note text,
      -- What a reversal gave back, per recovery: {recoveryId, cancelled, refunded}.
      reversal jsonb
    );
    -- The open contests are a review queue (agents, and the shared review-due rule).
    create index contests_open on contests (marketplace_id, filed_at) where status = 'open';

    -- A recovery cancelled because the seller's contest was upheld in its favour (reversed).
    alter table recoveries
      drop constraint recoveries_status_check,
      add constraint recoveries_status_check check (status in
        ('waived','pending','offset','invoiced','tendered_to_insurer','recovered','written_off','reversed'));
  `.execute(db);
}
