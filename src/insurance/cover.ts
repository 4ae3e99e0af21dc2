import type { Queryable } from '../platform/db/sql.ts';
import { coverOn } from './compliance.ts';
import { policiesOnFile } from './store.ts';

/**
 * The verified policy of the claim's seller that was in force on the incident date: it is the
 * one a tender goes to, and what the recovery waiver asks about. Null when there was none.
 */
export async function coveringPolicy(db: Queryable, claim: { seller_id: string | null; incident_at: Date }) {
  if (!claim.seller_id) return null;
  return coverOn(await policiesOnFile(db, claim.seller_id), claim.incident_at);
}
