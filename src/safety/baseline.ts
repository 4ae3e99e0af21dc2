import type { Queryable } from '../platform/db/sql.ts';
import { categoryClaims, categoryUnits } from './store.ts';

/** Below this many units sold by the rest of its category, a baseline says nothing. */
const MIN_BASELINE_UNITS = 1_000;

/**
 * Claims of a hazard per 10,000 units across the rest of a product's category: the product
 * itself is what is being compared, so its own claims and units are taken out. Null when the
 * rest of the category sold too little to say.
 */
export async function categoryBaselinePer10k(
  db: Queryable,
  key: { marketplaceId: string; category: string; hazard: string },
  product: { claims: number; units: number },
  window: { since: Date; now: Date },
): Promise<number | null> {
  const otherClaims = Math.max(0, (await categoryClaims(db, key, window.since)) - product.claims);
  const otherUnits = (await categoryUnits(db, key, window.now)) - product.units;
  return otherUnits >= MIN_BASELINE_UNITS ? (otherClaims * 10_000) / otherUnits : null;
}
