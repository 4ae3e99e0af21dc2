import type { Selectable } from 'kysely';
import type { ClaimRow } from '../claims/store.ts';
import type { Policy } from '../marketplace/policy.ts';
import type { AppContext } from '../platform/context.ts';
import type { ProductsTable } from '../platform/db/database.ts';
import type { Tx } from '../platform/db/sql.ts';
import { alertTriggers } from './alert-rules.ts';
import { raiseOrJoinAlert } from './alerts.ts';
import { categoryBaselinePer10k } from './baseline.ts';
import { evaluateGroupAlerts } from './group-alerts.ts';
import type { Hazard } from './lexicon.ts';
import { productSafetyCounts } from './store.ts';

const DAY_MS = 86_400_000;
type ProductRow = Selectable<ProductsTable>;

/**
 * Checks a product's thresholds with a claim whose hazard and severity are settled: by the
 * machine when it was sure, or by the person who coded it. Raises or joins alerts.
 */
export async function evaluateProductAlerts(
  tx: Tx,
  ctx: AppContext,
  f: { claim: ClaimRow; product: ProductRow; hazard: Hazard; severity: number; rules: Policy['safety'] },
): Promise<void> {
  const { claim, product, hazard, rules } = f;
  const now = ctx.clock.now();
  const rateSince = new Date(now.getTime() - rules.rateWindowDays * DAY_MS);
  const counts = await productSafetyCounts(
    tx,
    { productId: product.id, hazard, marketplaceId: claim.marketplace_id, category: product.category },
    { cluster: new Date(now.getTime() - rules.clusterWindowDays * DAY_MS), rate: rateSince, now },
  );
  const { units, category } = counts;
  const baseline = categoryBaselinePer10k(category, hazard, { claims: counts.inRateWindow, units });
  const triggers = alertTriggers(
    {
      hazard,
      newClaimSeverity: f.severity,
      injuryClaimsInWindow: counts.injuryInCluster,
      claimsInRateWindow: counts.inRateWindow,
      unitsSold: units,
      categoryBaselinePer10k: baseline,
    },
    rules,
  );
  for (const trigger of triggers) {
    await raiseOrJoinAlert(tx, ctx, { claim, product, hazard, trigger, rules });
  }
  await evaluateGroupAlerts(tx, ctx, { claim, product, hazard, rules });
}
