import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Hazard models fitted by \`redress safety fit\` on staff-coded claims (and any labelled file):
    -- a naive Bayes model over lemmas and phrases that breaks ties when the rules are unsure.
    -- Versioned, never updated: the newest version is the one in use, and a claim records the
    -- version that helped classify it, so a verdict can always be explained afterwards.
    create table hazard_models (
      id text primary key,
      version int not null unique,
      model jsonb not null,
      -- Per-class precision and recall on the held-back part, and how many labels of each source.
      evaluation jsonb not null,
      labels int not null,
      trained_on int not null,
      held_back int not null,
      fitted_by text not null,
      created_at timestamptz not null
    );

    alter table claim_hazards add column model_version int;

    -- One live product alert per product, hazard and rule; brand and family alerts (group_key
    -- set) have their own index (0018_b), so a product's own alert never collides with a group's.
    drop index safety_alerts_live;
    create unique index safety_alerts_live on safety_alerts (product_id, hazard, rule)
      where group_key is null and status in ('open','monitoring');
  `.execute(db);
}
