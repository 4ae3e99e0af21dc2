import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { ClaimRow } from '../claims/store.ts';
import type { Policy } from '../marketplace/policy.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { ProductsTable } from '../platform/db/database.ts';
import { json, type Tx } from '../platform/db/sql.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { AlertRule, AlertTrigger } from './alert-rules.ts';
import { alertStates, LIVE_ALERT_STATUSES } from './alert-states.ts';
import { emitSafetyEvent } from './events.ts';
import type { Hazard } from './lexicon.ts';
import { pauseListing } from './pause-listing.ts';
import { openRecall, ZRecallInput } from './recalls.ts';
import { openRegulatorReport, refreshReportDraft } from './regulator-reports.ts';
import { lockAlert, productHazardClaimIds, type SafetyAlertRow } from './store.ts';

const DAY_MS = 86_400_000;
type ProductRow = Selectable<ProductsTable>;

/** The claims that make the trigger's case: the window's injuries, the rate window's claims, or the one incident. */
async function evidenceClaims(
  tx: Tx,
  ctx: AppContext,
  f: { claim: ClaimRow; product: ProductRow; hazard: Hazard; trigger: AlertTrigger; rules: Policy['safety'] },
) {
  const now = ctx.clock.now().getTime();
  switch (f.trigger.rule) {
    case 'severe_incident':
      return [f.claim.id];
    case 'injury_cluster':
      return productHazardClaimIds(
        tx,
        f.product.id,
        f.hazard,
        new Date(now - f.rules.clusterWindowDays * DAY_MS),
        true,
      );
    case 'rate_above_baseline':
      return productHazardClaimIds(
        tx,
        f.product.id,
        f.hazard,
        new Date(now - f.rules.rateWindowDays * DAY_MS),
        false,
      );
  }
}

/** A brand or product family an alert is about, named as sellers spell it, with its products. */
export interface AlertGroup {
  kind: 'brand' | 'family';
  /** The normalised key the cluster rules count by ("fisher price", "fisher price|model CHP"). */
  key: string;
  /** For people: the brand as most of its products spell it, and the family's model prefix or title words. */
  name: string;
  productIds: string[];
}

export interface AlertEvidence {
  reason: string;
  measure: Record<string, number | null>;
  claimIds: string[];
  group?: AlertGroup;
}

/**
 * The one place a safety alert is inserted, or a live one joined: an agent triages one alert
 * per cause, not one per claim. A product's own alert is keyed by product, hazard and rule; a
 * brand's or family's by its group, hazard and rule (`group_key`), whichever product's claim
 * raised it. Two claims racing to raise the same alert meet at the partial unique index; the
 * loser joins the winner's alert, adding its claims to the evidence.
 */
export async function raiseOrJoin(
  tx: Tx,
  ctx: AppContext,
  a: {
    marketplaceId: string;
    productId: string;
    claimId: string;
    hazard: Hazard;
    rule: AlertRule;
    evidence: AlertEvidence;
    reportable: boolean;
    rules: Policy['safety'];
  },
): Promise<SafetyAlertRow> {
  const now = ctx.clock.now();
  const groupKey = a.evidence.group?.key ?? null;
  const live = [...LIVE_ALERT_STATUSES];
  const raised = await tx
    .insertInto('safety_alerts')
    .values({
      id: newId('safetyAlert', ctx.clock),
      marketplace_id: a.marketplaceId,
      product_id: a.productId,
      group_key: groupKey,
      hazard: a.hazard,
      rule: a.rule,
      status: 'open',
      evidence: json(a.evidence),
      reportable: a.reportable,
      triage_note: null,
      triaged_by: null,
      triaged_at: null,
      recall_id: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      groupKey
        ? oc
            .columns(['marketplace_id', 'group_key', 'hazard', 'rule'])
            .where('group_key', 'is not', null)
            .where('status', 'in', live)
            .doNothing()
        : oc
            .columns(['product_id', 'hazard', 'rule'])
            .where('group_key', 'is', null)
            .where('status', 'in', live)
            .doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
  const event = { marketplaceId: a.marketplaceId, productId: a.productId };
  const named = a.evidence.group ? { group: a.evidence.group.name } : {};
  if (raised) {
    await emitSafetyEvent(tx, ctx.clock, {
      ...event,
      type: 'safety.alert_raised',
      subjectId: raised.id,
      data: { hazard: a.hazard, rule: a.rule, ...a.evidence },
    });
    if (raised.reportable) await openRegulatorReport(tx, ctx, raised, a.rules);
    return raised;
  }
  let query = tx
    .selectFrom('safety_alerts')
    .selectAll()
    .where('hazard', '=', a.hazard)
    .where('rule', '=', a.rule)
    .where('status', 'in', live);
  query = groupKey
    ? query.where('marketplace_id', '=', a.marketplaceId).where('group_key', '=', groupKey)
    : query.where('product_id', '=', a.productId).where('group_key', 'is', null);
  const current = await query.forUpdate().executeTakeFirstOrThrow();
  const known = (current.evidence as { claimIds?: string[] }).claimIds ?? [];
  const knownProducts = (current.evidence as { group?: AlertGroup }).group?.productIds ?? [];
  const evidence: AlertEvidence = {
    ...a.evidence,
    claimIds: [...new Set([...a.evidence.claimIds, ...known])],
    ...(a.evidence.group
      ? {
          group: {
            ...a.evidence.group,
            productIds: [...new Set([...a.evidence.group.productIds, ...knownProducts])].sort(),
          },
        }
      : {}),
  };
  const joined = await tx
    .updateTable('safety_alerts')
    .set({ evidence: json(evidence), updated_at: now })
    .where('id', '=', current.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await emitSafetyEvent(tx, ctx.clock, {
    ...event,
    type: 'safety.alert_updated',
    subjectId: current.id,
    data: { claimId: a.claimId, reason: a.evidence.reason, ...named },
  });
  if (joined.reportable) await refreshReportDraft(tx, ctx, joined);
  return joined;
}

/** A product's own alert (cluster, rate or severe incident) raised or joined by a claim. */
export async function raiseOrJoinAlert(
  tx: Tx,
  ctx: AppContext,
  f: { claim: ClaimRow; product: ProductRow; hazard: Hazard; trigger: AlertTrigger; rules: Policy['safety'] },
): Promise<SafetyAlertRow> {
  const claimIds = await evidenceClaims(tx, ctx, f);
  return raiseOrJoin(tx, ctx, {
    marketplaceId: f.claim.marketplace_id,
    productId: f.product.id,
    claimId: f.claim.id,
    hazard: f.hazard,
    rule: f.trigger.rule,
    evidence: { reason: f.trigger.reason, measure: f.trigger.measure, claimIds },
    reportable: f.rules.reportableRules.includes(f.trigger.rule),
    rules: f.rules,
  });
}

export const ZTriage = z
  .discriminatedUnion('action', [
    z.object({
      action: z.literal('dismiss'),
      reason: z.string().trim().min(10, 'must say why in at least 10 characters').max(2000),
    }),
    z.object({ action: z.literal('monitor'), note: z.string().trim().max(2000).optional() }),
    z.object({ action: z.literal('pause_listing'), note: z.string().trim().max(2000).optional() }),
    z.object({ action: z.literal('open_recall'), recall: ZRecallInput }),
  ])
  .meta({
    example: { action: 'pause_listing', note: 'Three burns in a week; pause while the seller investigates.' },
  });

/**
 * An agent's decision on an alert. Pausing the listing stops sales (the marketplace and the
 * seller are told by event); opening a recall also pauses it, and notifies every buyer.
 */
export async function triageAlert(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  alertId: string,
  triage: z.infer<typeof ZTriage>,
): Promise<SafetyAlertRow> {
  const alert = await lockAlert(tx, alertId);
  if (!alert) throw notFound('safety alert', alertId);
  if (!LIVE_ALERT_STATUSES.has(alert.status)) {
    throw new AppError('conflict', `alert ${alertId} is ${alert.status}; it was already triaged`, {
      extra: { currentStatus: alert.status },
    });
  }
  const now = ctx.clock.now();
  const who = principal.keyId ?? principal.role;
  const changes: Partial<SafetyAlertRow> = { triaged_by: who, triaged_at: now, updated_at: now };
  if (triage.action === 'dismiss')
    Object.assign(changes, { status: 'dismissed', triage_note: triage.reason });
  if (triage.action === 'monitor')
    Object.assign(changes, { status: 'monitoring', triage_note: triage.note ?? null });
  if (triage.action === 'pause_listing') {
    await pauseListing(tx, ctx, alert.product_id, alert.marketplace_id, {
      alertId,
      note: triage.note ?? null,
    });
    Object.assign(changes, { status: 'listing_paused', triage_note: triage.note ?? null });
  }
  if (triage.action === 'open_recall') {
    const recall = await openRecall(tx, ctx, principal, alert.product_id, { ...triage.recall, alertId });
    Object.assign(changes, { status: 'recall_opened', recall_id: recall.id });
  }
  alertStates.assertMove(alertId, alert.status, changes.status);
  const triaged = await tx
    .updateTable('safety_alerts')
    .set(changes)
    .where('id', '=', alertId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await emitSafetyEvent(tx, ctx.clock, {
    type: 'safety.alert_triaged',
    marketplaceId: alert.marketplace_id,
    subjectId: alertId,
    productId: alert.product_id,
    data: { action: triage.action, status: triaged.status, by: who },
  });
  return triaged;
}
