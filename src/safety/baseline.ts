/** Below this many units sold by the rest of its category, a baseline says nothing. */
const MIN_BASELINE_UNITS = 1_000;

/**
 * Claims of a hazard per 10,000 units across the rest of a product's category: the product
 * itself is what is being compared, so its own claims and units are taken out. Null when the
 * rest of the category sold too little to say. Pure: the category's totals (a day old at most,
 * see `categoryTotals`) and the product's live figures come in.
 */
export function categoryBaselinePer10k(
  category: { units: number; claimsByHazard: Record<string, number> },
  hazard: string,
  product: { claims: number; units: number },
): number | null {
  const otherClaims = Math.max(0, (category.claimsByHazard[hazard] ?? 0) - product.claims);
  const otherUnits = category.units - product.units;
  return otherUnits >= MIN_BASELINE_UNITS ? (otherClaims * 10_000) / otherUnits : null;
}
