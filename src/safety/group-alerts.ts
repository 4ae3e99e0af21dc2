import { type Selectable, sql } from 'kysely';
import type { ClaimRow } from '../claims/store.ts';
import type { Policy } from '../marketplace/policy.ts';
import type { AppContext } from '../platform/context.ts';
import type { ProductsTable } from '../platform/db/database.ts';
import type { Tx } from '../platform/db/sql.ts';
import { type AlertGroup, raiseOrJoin } from './alerts.ts';
import {
  type GroupWindowCount,
  groupClusterTrigger,
  groupName,
  productGroupKeys,
} from './group-cluster-rules.ts';
import type { Hazard } from './lexicon.ts';
import { productUnits } from './store.ts';

const DAY_MS = 86_400_000;
type GroupRule = 'brand_cluster' | 'family_cluster';
const KEY_COLUMN = { brand_cluster: 'brand_key', family_cluster: 'family_key' } as const;

/**
 * Personal-injury claims of the hazard across the group, per policy window (claims awaiting a
 * person's coding do not count), and the group's products: their brands as sellers typed them
 * (to name the group) and their units sold (for the rate, where sales are known).
 */
async function groupCounts(
  tx: Tx,
  f: { marketplaceId: string; rule: GroupRule; key: string; hazard: Hazard; now: Date },
  windows: Policy['safety']['groupClusterWindows'],
): Promise<{
  counts: GroupWindowCount[];
  claimIds: string[][];
  productIds: string[][];
  brands: string[];
  units: number;
}> {
  const column = sql.ref(`ch.${KEY_COLUMN[f.rule]}`);
  const longest = Math.max(...windows.map((w) => w.windowDays));
  const rows = await sql<{ claim_id: string; product_id: string; filed_at: Date }>`
    select ch.claim_id, ch.product_id, ch.filed_at
    from claim_hazards ch join claims c on c.id = ch.claim_id
    where ch.marketplace_id = ${f.marketplaceId} and ${column} = ${f.key} and ch.hazard = ${f.hazard}
      and c.type = 'personal_injury' and ch.review_status is distinct from 'pending'
      and ch.filed_at >= ${new Date(f.now.getTime() - longest * DAY_MS)}
  `.execute(tx);
  const inWindow = windows.map((w) =>
    rows.rows.filter((r) => new Date(r.filed_at).getTime() >= f.now.getTime() - w.windowDays * DAY_MS),
  );
  // Every product of the group with a claim (of any hazard), so the rate's denominator is the
  // group's sales: a bestseller's as kept for the day (store.ts), the others' summed.
  const products = await sql<{ id: string; brand: string | null; units: string }>`
    select p.id, p.brand,
      ${productUnits(f.marketplaceId, sql.ref('p.id'), f.now)} as units
    from products p
    where p.id in (select distinct ch.product_id from claim_hazards ch
      where ch.marketplace_id = ${f.marketplaceId} and ${column} = ${f.key})
  `.execute(tx);
  return {
    counts: inWindow.map((r, i) => ({
      windowDays: windows[i]?.windowDays ?? 0,
      claims: r.length,
      products: new Set(r.map((x) => x.product_id)).size,
    })),
    claimIds: inWindow.map((r) => r.map((x) => x.claim_id).sort()),
    productIds: inWindow.map((r) => [...new Set(r.map((x) => x.product_id))].sort()),
    brands: products.rows.map((p) => p.brand ?? '').filter(Boolean),
    units: products.rows.reduce((sum, p) => sum + Number(p.units), 0),
  };
}

/**
 * Checks the brand and product family of a claim's product: one brand split over many product
 * ids, or reports spread over months, still make one cause. One live alert per group, hazard
 * and rule (raised or joined in alerts.ts); it names the group as sellers spell it.
 */
export async function evaluateGroupAlerts(
  tx: Tx,
  ctx: AppContext,
  f: { claim: ClaimRow; product: Selectable<ProductsTable>; hazard: Hazard; rules: Policy['safety'] },
): Promise<void> {
  const keys = productGroupKeys(f.product);
  const now = ctx.clock.now();
  const groups: [GroupRule, string | null][] = [
    ['brand_cluster', keys.brandKey],
    ['family_cluster', keys.familyKey],
  ];
  for (const [rule, key] of groups) {
    if (!key || f.hazard === 'other') continue;
    const windows = f.rules.groupClusterWindows;
    const counted = await groupCounts(
      tx,
      { marketplaceId: f.claim.marketplace_id, rule, key, hazard: f.hazard, now },
      windows,
    );
    const kind = rule === 'brand_cluster' ? 'brand' : 'family';
    const name = groupName(kind, key, counted.brands);
    const trigger = groupClusterTrigger(rule, name, counted.counts, windows, f.hazard, counted.units);
    if (!trigger) continue;
    const window = windows.findIndex((w) => w.windowDays === trigger.measure.windowDays);
    const group: AlertGroup = { kind, key, name, productIds: counted.productIds[window] ?? [] };
    await raiseOrJoin(tx, ctx, {
      marketplaceId: f.claim.marketplace_id,
      productId: f.product.id,
      claimId: f.claim.id,
      hazard: f.hazard,
      rule,
      evidence: {
        reason: trigger.reason,
        measure: trigger.measure,
        claimIds: counted.claimIds[window] ?? [],
        group,
      },
      reportable: (f.rules.reportableRules as string[]).includes(rule),
      rules: f.rules,
    });
  }
}
