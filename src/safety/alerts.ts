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
import type { AlertTrigger } from './alert-rules.ts';
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

/**
 * Raises an alert for a product, hazard and rule, or adds the claim to the live one: an agent
 * triages one alert per cause, not one per claim. Two claims racing to raise the same alert
 * meet at the partial unique index; the loser joins the winner's alert.
 */
export async function raiseOrJoinAlert(
  tx: Tx,
  ctx: AppContext,
  f: { claim: ClaimRow; product: ProductRow; hazard: Hazard; trigger: AlertTrigger; rules: Policy['safety'] },
): Promise<SafetyAlertRow> {
  const now = ctx.clock.now();
  const claimIds = await evidenceClaims(tx, ctx, f);
  const evidence = { reason: f.trigger.reason, measure: f.trigger.measure, claimIds };
  const raised = await tx
    .insertInto('safety_alerts')
    .values({
      id: newId('safetyAlert', ctx.clock),
      marketplace_id: f.claim.marketplace_id,
      product_id: f.product.id,
      hazard: f.hazard,
      rule: f.trigger.rule,
      status: 'open',
      evidence: json(evidence),
      reportable: f.rules.reportableRules.includes(f.trigger.rule),
      triage_note: null,
      triaged_by: null,
      triaged_at: null,
      recall_id: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['product_id', 'hazard', 'rule']).where('status', 'in', ['open', 'monitoring']).doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
  const event = { marketplaceId: f.claim.marketplace_id, productId: f.product.id };
  if (raised) {
    await emitSafetyEvent(tx, ctx.clock, {
      ...event,
      type: 'safety.alert_raised',
      subjectId: raised.id,
      data: { hazard: f.hazard, rule: f.trigger.rule, ...evidence },
    });
    if (raised.reportable) await openRegulatorReport(tx, ctx, raised, f.rules);
    return raised;
  }
  const live = await tx
    .selectFrom('safety_alerts')
    .selectAll()
    .where('product_id', '=', f.product.id)
    .where('hazard', '=', f.hazard)
    .where('rule', '=', f.trigger.rule)
    .where('status', 'in', ['open', 'monitoring'])
    .forUpdate()
    .executeTakeFirstOrThrow();
  const known = (live.evidence as { claimIds?: string[] }).claimIds ?? [];
  const joined = await tx
    .updateTable('safety_alerts')
    .set({
      evidence: json({ ...evidence, claimIds: [...new Set([...claimIds, ...known])] }),
      updated_at: now,
    })
    .where('id', '=', live.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await emitSafetyEvent(tx, ctx.clock, {
    ...event,
    type: 'safety.alert_updated',
    subjectId: live.id,
    data: { claimId: f.claim.id, reason: f.trigger.reason },
  });
  if (joined.reportable) await refreshReportDraft(tx, ctx, joined);
  return joined;
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
