import type { Queryable } from '../db/sql.ts';

/**
 * The marketplaces a third-party administrator acts for now. Read on every request the TPA
 * makes rather than stored with its key or session, so an admin's unassignment takes effect at
 * the TPA's next request.
 */
export async function tpaMarketplaceIds(db: Queryable, tpaId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('tpa_marketplaces')
    .select('marketplace_id')
    .where('tpa_id', '=', tpaId)
    .orderBy('marketplace_id')
    .execute();
  return rows.map((r) => r.marketplace_id);
}
