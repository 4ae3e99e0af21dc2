import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The group a claim's product belongs to when it was classified: its normalised brand and its
    -- product family (brand plus model prefix or title stem). One brand sold under many product
    -- ids is one brand to the cluster rules.
    alter table claim_hazards
      add column brand_key text,
      add column family_key text;
    create index claim_hazards_brand on claim_hazards (marketplace_id, brand_key, hazard, filed_at)
      where brand_key is not null;
    create index claim_hazards_family on claim_hazards (marketplace_id, family_key, hazard, filed_at)
      where family_key is not null;

    -- Brand and family alerts: product_id holds the product whose claim raised it, group_key the
    -- brand or family; one live alert per group, hazard and rule.
    alter table safety_alerts
      add column group_key text,
      drop constraint safety_alerts_rule_check,
      add constraint safety_alerts_rule_check check (rule in
        ('injury_cluster','rate_above_baseline','severe_incident','brand_cluster','family_cluster'));
    create unique index safety_alerts_live_group on safety_alerts (marketplace_id, group_key, hazard, rule)
      where group_key is not null and status in ('open','monitoring');
  `.execute(db);
}
