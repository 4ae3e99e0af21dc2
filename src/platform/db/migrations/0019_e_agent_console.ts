import { type Kysely, sql } from 'kysely';

/**
 * The agent console: who owns a claim, when its review is due, and the indexes the claim search
 * (GET /v1/claims?q=…) filters and sorts by, so no filter scans the claims table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The agent working the claim (the API key it acts under) and the name shown for it.
    alter table claims
      add column owner_id text,
      add column owner_name text,
      add column owner_since timestamptz,
      -- Every review (risk, dispute, appeal, later contest) ends by this moment or escalates.
      add column review_due_at timestamptz,
      add column review_escalated_at timestamptz;

    create index claims_owner on claims (owner_id, id) where owner_id is not null;
    -- The review queues, oldest due first, and the overdue queue.
    create index claims_review_due on claims (review_due_at, id) where status = 'under_review';
    -- The claim number people read aloud is the id's last eight characters.
    create index claims_number on claims (right(id, 8));
    create index claims_product on claims (product_id, id);
    create index claims_filed on claims (marketplace_id, filed_at, id);
    create index claims_amount on claims (amount, id);
    create index claims_order on claims (order_id, id);
    -- Hazard filter: the claims of one hazard.
    create index claim_hazards_hazard on claim_hazards (hazard, claim_id);
  `.execute(db);
}
