import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as platform from './migrations/0001_platform.ts';
import * as marketplace from './migrations/0002_marketplace.ts';
import * as claims from './migrations/0003_claims.ts';
import * as ledger from './migrations/0004_ledger.ts';
import * as screening from './migrations/0005_screening.ts';
import * as notifications from './migrations/0006_notifications.ts';
import * as insurance from './migrations/0007_insurance.ts';
import * as safety from './migrations/0008_safety.ts';
import * as sessions from './migrations/0009_sessions.ts';
import * as safetyNlp from './migrations/0014_safety_nlp.ts';
import * as publicRecalls from './migrations/0018_a_public_recalls.ts';
import * as brandClusters from './migrations/0018_b_brand_clusters.ts';

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
  '0014_safety_nlp': safetyNlp,
  '0018_a_public_recalls': publicRecalls,
  '0018_b_brand_clusters': brandClusters,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema, before it exists.
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
