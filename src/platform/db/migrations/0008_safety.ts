import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table products add column listing_status text not null default 'active'
      check (listing_status in ('active','paused'));
    alter table products add column counterfeit_flagged_at timestamptz;
    alter table claims add column recall_id text;

    -- Each claim's hazard and severity, with the words that decided them: the safety record's facts.
    create table claim_hazards (
      claim_id text primary key references claims(id),
      marketplace_id text not null references marketplaces(id),
      product_id text not null references products(id),
      category text not null,
      hazard text not null,
      severity int not null check (severity between 1 and 5),
      terms jsonb not null,
      counterfeit boolean not null,
      filed_at timestamptz not null
    );
    create index claim_hazards_product on claim_hazards (product_id, hazard, filed_at);
    create index claim_hazards_category on claim_hazards (marketplace_id, category, hazard, filed_at);

    -- A category's units sold and claims per hazard over the rate window, refreshed at most
    -- daily: the rate rule's baseline, which would otherwise scan the category's orders and
    -- claims at every filing. A running counter would be fresher, but every filing in a busy
    -- category would queue on its row.
    create table category_baselines (
      marketplace_id text not null references marketplaces(id),
      category text not null,
      units bigint not null,
      claims_by_hazard jsonb not null,
      computed_at timestamptz not null,
      primary key (marketplace_id, category)
    );

    create table safety_alerts (
      id text primary key,
      marketplace_id text not null references marketplaces(id),
      product_id text not null references products(id),
      hazard text not null,
      rule text not null check (rule in ('injury_cluster','rate_above_baseline','severe_incident')),
      status text not null
        check (status in ('open','monitoring','dismissed','listing_paused','recall_opened')),
      evidence jsonb not null,
      reportable boolean not null,
      triage_note text,
      triaged_by text,
      triaged_at timestamptz,
      recall_id text,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    -- One live alert per product, hazard and rule: later claims join it as evidence.
    create unique index safety_alerts_live on safety_alerts (product_id, hazard, rule)
      where status in ('open','monitoring');
    create index safety_alerts_status on safety_alerts (status, created_at);

    create table regulator_reports (
      id text primary key,
      alert_id text not null unique references safety_alerts(id),
      marketplace_id text not null references marketplaces(id),
      product_id text not null references products(id),
      regulator text not null,
      status text not null check (status in ('due','overdue','submitted')),
      due_at timestamptz not null,
      draft jsonb not null,
      submitted_at timestamptz,
      submission_reference text,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );

    create table recalls (
      id text primary key,
      marketplace_id text not null references marketplaces(id),
      product_id text not null references products(id),
      hazard text not null,
      remedy text not null check (remedy in ('refund','repair','replace')),
      units_affected int not null check (units_affected > 0),
      description text not null,
      status text not null check (status in ('open','closed')),
      alert_id text,
      created_by text,
      created_at timestamptz not null
    );
    create unique index recalls_one_open on recalls (product_id) where status = 'open';

    -- Every buyer is told once: the key makes a second notice of the same recall impossible.
    create table recall_notices (
      recall_id text not null references recalls(id),
      customer_id text not null references customers(id),
      units int not null,
      status text not null check (status in ('notified','responded','remedied')),
      response text,
      notified_at timestamptz not null,
      responded_at timestamptz,
      remedied_at timestamptz,
      primary key (recall_id, customer_id)
    );
  `.execute(db);
}
