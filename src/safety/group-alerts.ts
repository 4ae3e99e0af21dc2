import { type Selectable, sql } from 'kysely';
import type { ClaimRow } from '../claims/store.ts';
import type { Policy } from '../marketplace/policy.ts';
import type { AppContext } from '../platform/context.ts';
import type { ProductsTable } from '../platform/db/database.ts';
import { json, type Tx } from '../platform/db/sql.ts';
import { newId } from '../platform/ids.ts';
import { emitSafetyEvent } from './events.ts';
import { type GroupWindowCount, groupClusterTrigger, productGroupKeys } from './group-cluster-rules.ts';
import type { Hazard } from './lexicon.ts';

const DAY_MS = 86_400_000;
type GroupRule = 'brand_cluster' | 'family_cluster';
const KEY_COLUMN = { brand_cluster: 'brand_key', family_cluster: 'family_key' } as const;

/** Personal-injury claims of the hazard across the group, per policy window; claims awaiting a person's coding do not count. */
async function groupCounts(
  tx: Tx,
  f: { marketplaceId: string; rule: GroupRule; key: string; hazard: Hazard; now: Date },
  windows: Policy['safety']['groupClusterWindows'],
): Promise<{ counts: GroupWindowCount[]; claimIds: string[][]; units: number }> {
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
  // Units sold across the group's products, so the alert states a rate where sales are known.
  const units = await sql<{ units: string }>`
    select coalesce(sum(ol.quantity), 0)::bigint as units
    from order_lines ol
    where ol.product_id in (select distinct product_id from claim_hazards ch
      where ch.marketplace_id = ${f.marketplaceId} and ${column} = ${f.key})
  `.execute(tx);
  return {
    counts: inWindow.map((r, i) => ({
      windowDays: windows[i]?.windowDays ?? 0,
      claims: r.length,
      products: new Set(r.map((x) => x.product_id)).size,
    })),
    claimIds: inWindow.map((r) => r.map((x) => x.claim_id).sort()),
    units: Number(units.rows[0]?.units ?? 0),
  };
}

/**
 * Checks the brand and product family of a claim's product: one brand split over many product
 * ids, or reports spread over months, still make one cause. Raises one live alert per group,
 * hazard and rule; later claims join it as evidence.
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
    if (!key) continue;
    const windows = f.rules.groupClusterWindows;
    const counted = await groupCounts(
      tx,
      { marketplaceId: f.claim.marketplace_id, rule, key, hazard: f.hazard, now },
      windows,
    );
    const trigger = groupClusterTrigger(rule, key, counted.counts, windows, f.hazard, counted.units);
    if (!trigger) continue;
    const window = windows.findIndex((w) => w.windowDays === trigger.measure.windowDays);
    const evidence = {
      reason: trigger.reason,
      measure: trigger.measure,
      claimIds: counted.claimIds[window] ?? [],
    };
    const raised = await tx
      .insertInto('safety_alerts')
      .values({
        id: newId('safetyAlert', ctx.clock),
        marketplace_id: f.claim.marketplace_id,
        product_id: f.product.id,
        group_key: key,
        hazard: f.hazard,
        rule,
        status: 'open',
        evidence: json(evidence),
        reportable: false,
        triage_note: null,
        triaged_by: null,
        triaged_at: null,
        recall_id: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['marketplace_id', 'group_key', 'hazard', 'rule'])
          .where('group_key', 'is not', null)
          .where('status', 'in', ['open', 'monitoring'])
          .doNothing(),
      )
      .returningAll()
      .executeTakeFirst();
    const alert =
      raised ??
      (await tx
        .updateTable('safety_alerts')
        .set({ evidence: json(evidence), updated_at: now })
        .where('marketplace_id', '=', f.claim.marketplace_id)
        .where('group_key', '=', key)
        .where('hazard', '=', f.hazard)
        .where('rule', '=', rule)
        .where('status', 'in', ['open', 'monitoring'])
        .returningAll()
        .executeTakeFirstOrThrow());
    await emitSafetyEvent(tx, ctx.clock, {
      type: raised ? 'safety.alert_raised' : 'safety.alert_updated',
      marketplaceId: f.claim.marketplace_id,
      subjectId: alert.id,
      productId: f.product.id,
      data: raised
        ? { hazard: f.hazard, rule, group: key, ...evidence }
        : { claimId: f.claim.id, reason: trigger.reason, group: key },
    });
  }
}
