import type { Queryable } from '../platform/db/sql.ts';
import { categoryTotals } from './store.ts';

/** Below this many units sold by the rest of its category, a baseline says nothing. */
const MIN_BASELINE_UNITS = 1_000;

/**
 * Claims of a hazard per 10,000 units across the rest of a product's category: the product
 * itself is what is being compared, so its own claims and units are taken out. Null when the
 * rest of the category sold too little to say. The category's totals are a day old at most; the
 * product's are live.
 */
export async function categoryBaselinePer10k(
  db: Queryable,
  key: { marketplaceId: string; category: string; hazard: string },
  product: { claims: number; units: number },
  window: { since: Date; now: Date },
): Promise<number | null> {
  const category = await categoryTotals(db, key, window);
  const otherClaims = Math.max(0, (category.claimsByHazard[key.hazard] ?? 0) - product.claims);
  const otherUnits = category.units - product.units;
  return otherUnits >= MIN_BASELINE_UNITS ? (otherClaims * 10_000) / otherUnits : null;
}
