import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import {
  assertMigrationHistoryUsable,
  type MigrationHistory,
  readMigrationHistory,
  recordChecksums,
} from './migration-history.ts';
import * as platform from './migrations/0001_platform.ts';
import * as marketplace from './migrations/0002_marketplace.ts';
import * as claims from './migrations/0003_claims.ts';
import * as ledger from './migrations/0004_ledger.ts';
import * as screening from './migrations/0005_screening.ts';
import * as notifications from './migrations/0006_notifications.ts';
import * as insurance from './migrations/0007_insurance.ts';
import * as safety from './migrations/0008_safety.ts';
import * as sessions from './migrations/0009_sessions.ts';
import * as evidenceWebhooks from './migrations/0012_evidence_webhooks.ts';
import * as keysFailover from './migrations/0013_keys_failover.ts';
import * as safetyNlp from './migrations/0014_safety_nlp.ts';
import * as payoutHolds from './migrations/0015_payout_holds.ts';
import * as personalData from './migrations/0016_personal_data.ts';
import * as operations from './migrations/0017_operations.ts';
import * as publicRecalls from './migrations/0018_a_public_recalls.ts';
import * as brandClusters from './migrations/0018_b_brand_clusters.ts';
import * as hazardModels from './migrations/0019_a_hazard_models.ts';
import * as paraphraseIndex from './migrations/0019_b_paraphrase_index.ts';
import * as ledgerStripes from './migrations/0019_c_ledger_stripes.ts';
import * as importJobs from './migrations/0019_d_import_jobs.ts';
import * as agentConsole from './migrations/0019_e_agent_console.ts';
import * as blobs from './migrations/0019_g_blobs.ts';
import * as contests from './migrations/0019_g_contests.ts';
import * as matters from './migrations/0019_g_matters.ts';
import * as tpa from './migrations/0020_a_tpa.ts';
import * as regions from './migrations/0020_b_regions.ts';
import * as amountNorms from './migrations/0021_amount_norms.ts';
import * as mailLeases from './migrations/0022_mail_leases.ts';
import * as marketplaceKeys from './migrations/0023_marketplace_keys.ts';
import * as ordersCustomerIndex from './migrations/0024_orders_customer_index.ts';
import * as narrativeBandsRecent from './migrations/0025_narrative_bands_recent.ts';
import * as productUnitCounts from './migrations/0026_product_unit_counts.ts';

/**
 * Migrations are listed here, in order, rather than read from a folder at run time, so they
 * work the same under tsx, a bundler or Node's own type stripping. The same list runs on
 * PGlite and on a PostgreSQL server.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001_platform': platform,
  '0002_marketplace': marketplace,
  '0003_claims': claims,
  '0004_ledger': ledger,
  '0005_screening': screening,
  '0006_notifications': notifications,
  '0007_insurance': insurance,
  '0008_safety': safety,
  '0009_sessions': sessions,
  '0012_evidence_webhooks': evidenceWebhooks,
  '0013_keys_failover': keysFailover,
  '0014_safety_nlp': safetyNlp,
  '0015_payout_holds': payoutHolds,
  '0016_personal_data': personalData,
  '0017_operations': operations,
  '0018_a_public_recalls': publicRecalls,
  '0018_b_brand_clusters': brandClusters,
  '0019_a_hazard_models': hazardModels,
  '0019_b_paraphrase_index': paraphraseIndex,
  '0019_c_ledger_stripes': ledgerStripes,
  '0019_d_import_jobs': importJobs,
  '0019_e_agent_console': agentConsole,
  '0019_g_blobs': blobs,
  '0019_g_contests': contests,
  '0019_g_matters': matters,
  '0020_a_tpa': tpa,
  '0020_b_regions': regions,
  '0021_amount_norms': amountNorms,
  '0022_mail_leases': mailLeases,
  '0023_marketplace_keys': marketplaceKeys,
  '0024_orders_customer_index': ordersCustomerIndex,
  '0025_narrative_bands_recent': narrativeBandsRecent,
  '0026_product_unit_counts': productUnitCounts,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema, before it exists.
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // Refuse before changing anything: a newer schema or an edited migration is the operator's call.
  assertMigrationHistoryUsable(await readMigrationHistory(db, MIGRATIONS));
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  await recordChecksums(db, MIGRATIONS);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * The migrations this code expects that the database has not run (a database restored from an
 * older backup under a running server, say). One small query, cheap enough for `/readyz`; the
 * migrator's own `getMigrations()` introspects every table first.
 */
// biome-ignore lint/suspicious/noExplicitAny: as above, the migrator needs no schema type.
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  const done = new Set(rows.map((r) => r.name));
  return Object.keys(MIGRATIONS).filter((name) => !done.has(name));
}

/** What `migrate` would do, and whether it may: for `redress migrate --plan` and `redress doctor`. */
// biome-ignore lint/suspicious/noExplicitAny: read before the schema exists.
export async function migrationPlan(db: Kysely<any>): Promise<MigrationHistory> {
  return readMigrationHistory(db, MIGRATIONS);
}
