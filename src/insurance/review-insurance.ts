import { sql } from 'kysely';
import { currentPolicyVersion, findMarketplace } from '../marketplace/store.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { scheduleTimer } from '../platform/timers.ts';
import { compliantCoverOn, type InsuranceStatus, insuranceStatus } from './compliance.ts';
import { emitInsuranceEvent } from './events.ts';
import { insuranceRules } from './store.ts';
import { INSURANCE_TIMERS } from './timer-kinds.ts';

const DAY_MS = 86_400_000;

/**
 * Sets a seller's insurance flag from its cover on file now. Called whenever something that
 * decides it changes: a policy verified, rejected or expired, the grace period ending, the
 * seller's sales crossing the threshold. Tells the seller when the flag moves.
 */
export async function reviewSellerInsurance(
  tx: Tx,
  ctx: AppContext,
  sellerId: string,
): Promise<InsuranceStatus | null> {
  const seller = await tx
    .selectFrom('sellers')
    .selectAll()
    .where('id', '=', sellerId)
    .forUpdate()
    .executeTakeFirst();
  if (!seller) return null;
  const known = await insuranceRules(tx, seller);
  if (!known) return null;
  const now = ctx.clock.now();
  const cover = compliantCoverOn(known.onFile, now, known.rules, known.currency);
  const status = insuranceStatus({
    required: seller.insurance_required_since !== null,
    graceUntil: seller.insurance_grace_until,
    now,
    hasCompliantCover: cover !== null,
  });
  if (status !== seller.insurance_status) {
    await tx
      .updateTable('sellers')
      .set({ insurance_status: status, updated_at: now })
      .where('id', '=', sellerId)
      .execute();
    await emitInsuranceEvent(tx, ctx.clock, {
      type: 'insurance.status_changed',
      marketplaceId: seller.marketplace_id,
      subjectId: sellerId,
      sellerId,
      insurerId: null,
      data: {
        from: seller.insurance_status,
        to: status,
        coveringPolicyId: cover?.id ?? null,
        graceUntil: seller.insurance_grace_until?.toISOString() ?? null,
      },
    });
  }
  return status;
}

/**
 * The daily review of one marketplace: third-party sellers whose gross sales in a calendar
 * month (this one or the last, in the marketplace's zone) passed the threshold must now hold
 * cover, and get the grace period to put it on file. The requirement is sticky: a quieter month
 * later does not lift it. Reschedules itself for the next day.
 */
export async function reviewMarketplaceInsurance(
  tx: Tx,
  ctx: AppContext,
  marketplaceId: string,
): Promise<number> {
  const [marketplace, version] = await Promise.all([
    findMarketplace(tx, marketplaceId),
    currentPolicyVersion(tx, marketplaceId),
  ]);
  if (!marketplace || !version) return 0;
  const now = ctx.clock.now();
  const rules = version.policy.insurance;
  // Two months and a day back always reaches the start of last month.
  const since = new Date(now.getTime() - 63 * DAY_MS);
  const crossed = await sql<{ seller_id: string }>`
    select distinct ol.seller_id
    from order_lines ol
    join orders o on o.id = ol.order_id
    join sellers s on s.id = ol.seller_id
    where o.marketplace_id = ${marketplaceId}
      and o.created_at >= ${since}
      and o.created_at <= ${now}
      and s.kind = 'third_party'
      and s.insurance_required_since is null
      and date_trunc('month', o.created_at at time zone ${marketplace.time_zone})
          >= date_trunc('month', (${now}::timestamptz at time zone ${marketplace.time_zone}) - interval '1 month')
    group by ol.seller_id, date_trunc('month', o.created_at at time zone ${marketplace.time_zone})
    having sum(ol.quantity * ol.unit_price) > ${rules.monthlySalesThreshold}
  `.execute(tx);
  const graceUntil = new Date(now.getTime() + rules.graceDays * DAY_MS);
  for (const { seller_id: sellerId } of crossed.rows) {
    await tx
      .updateTable('sellers')
      .set({ insurance_required_since: now, insurance_grace_until: graceUntil })
      .where('id', '=', sellerId)
      .execute();
    await scheduleTimer(tx, {
      kind: INSURANCE_TIMERS.graceEnds,
      subjectId: sellerId,
      dueAt: graceUntil,
      now,
    });
    await reviewSellerInsurance(tx, ctx, sellerId);
  }
  await scheduleTimer(tx, {
    kind: INSURANCE_TIMERS.complianceReview,
    subjectId: marketplaceId,
    dueAt: new Date(now.getTime() + DAY_MS),
    now,
  });
  return crossed.rows.length;
}
