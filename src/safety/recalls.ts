import { sql } from 'kysely';
import { z } from 'zod';
import { recordClaimEvent } from '../claims/history.ts';
import { lockClaim } from '../claims/store.ts';
import { findProduct } from '../marketplace/store.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable, Tx } from '../platform/db/sql.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { emitSafetyEvent } from './events.ts';
import { HAZARDS } from './lexicon.ts';
import { pauseListing } from './pause-listing.ts';
import { findRecall, openRecallOf, type RecallNoticeRow, type RecallRow } from './store.ts';

export const ZRecallInput = z
  .object({
    hazard: z.enum(HAZARDS),
    remedy: z.enum(['refund', 'repair', 'replace']),
    unitsAffected: z
      .number()
      .int()
      .positive()
      .describe('Units in the hands of buyers that the recall covers'),
    description: z.string().trim().min(20, 'must describe the hazard in at least 20 characters').max(5000),
  })
  .meta({
    example: {
      hazard: 'fire_burn',
      remedy: 'refund',
      unitsAffected: 1200,
      description:
        'The heater’s tip-over switch can fail, letting it keep heating on its side and ignite flooring.',
    },
  });

/**
 * Opens a recall: the listing is paused, every claim on the product carries the recall, and
 * every buyer found in the orders is notified once. A product has one open recall at a time,
 * so posting the same recall twice notifies nobody twice: the second is refused, and
 * recall_notices' key would refuse a second notice anyway.
 */
export async function openRecall(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  productId: string,
  input: z.infer<typeof ZRecallInput> & { alertId?: string },
): Promise<RecallRow> {
  const product = await findProduct(tx, productId);
  if (!product) throw notFound('product', productId);
  const seller = await tx
    .selectFrom('sellers')
    .select(['id', 'marketplace_id'])
    .where('id', '=', product.seller_id)
    .executeTakeFirstOrThrow();
  const now = ctx.clock.now();
  const recall = await tx
    .insertInto('recalls')
    .values({
      id: newId('recall', ctx.clock),
      marketplace_id: seller.marketplace_id,
      product_id: productId,
      hazard: input.hazard,
      remedy: input.remedy,
      units_affected: input.unitsAffected,
      description: input.description,
      status: 'open',
      alert_id: input.alertId ?? null,
      created_by: principal.keyId ?? principal.role,
      created_at: now,
    })
    .onConflict((oc) => oc.column('product_id').where('status', '=', 'open').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!recall) {
    const existing = await openRecallOf(tx, productId);
    throw new AppError(
      'conflict',
      `product ${productId} is already under recall ${existing?.id ?? ''}`.trim(),
      {
        extra: { recallId: existing?.id ?? null },
      },
    );
  }
  if (product.listing_status !== 'paused') {
    await pauseListing(tx, ctx, productId, seller.marketplace_id, {
      alertId: input.alertId ?? null,
      note: null,
      recallId: recall.id,
    });
  }
  await linkClaims(tx, ctx, principal, recall);
  const notified = await notifyBuyers(tx, ctx, recall, product.title);
  await emitSafetyEvent(tx, ctx.clock, {
    type: 'safety.recall_opened',
    marketplaceId: seller.marketplace_id,
    subjectId: recall.id,
    productId,
    sellerId: seller.id,
    data: {
      hazard: input.hazard,
      remedy: input.remedy,
      unitsAffected: input.unitsAffected,
      buyersNotified: notified,
    },
  });
  return recall;
}

/** Every claim on the product carries the recall, recorded in its history. */
async function linkClaims(tx: Tx, ctx: AppContext, principal: Principal, recall: RecallRow) {
  const claims = await tx
    .selectFrom('claims')
    .select('id')
    .where('product_id', '=', recall.product_id)
    .where('recall_id', 'is', null)
    .orderBy('id')
    .execute();
  for (const { id } of claims) {
    const claim = await lockClaim(tx, id);
    if (!claim) continue;
    await recordClaimEvent(
      tx,
      ctx.clock,
      claim,
      { type: 'claim.recall_linked', actor: principal, reason: recall.hazard, data: { recallId: recall.id } },
      { recall_id: recall.id },
    );
  }
}

/** One notice per buyer, written once (the key refuses a second); each new notice is one message. */
async function notifyBuyers(
  tx: Tx,
  ctx: AppContext,
  recall: RecallRow,
  productTitle: string,
): Promise<number> {
  const now = ctx.clock.now();
  const inserted = await sql<{ customer_id: string }>`
    insert into recall_notices (recall_id, customer_id, units, status, notified_at)
    select ${recall.id}, o.customer_id, sum(ol.quantity), 'notified', ${now}
    from order_lines ol join orders o on o.id = ol.order_id
    where ol.product_id = ${recall.product_id}
    group by o.customer_id
    on conflict (recall_id, customer_id) do nothing
    returning customer_id
  `.execute(tx);
  for (const { customer_id: customerId } of inserted.rows) {
    await emitSafetyEvent(tx, ctx.clock, {
      type: 'safety.recall_notice',
      marketplaceId: recall.marketplace_id,
      subjectId: recall.id,
      productId: recall.product_id,
      customerId,
      data: { productTitle, hazard: recall.hazard, remedy: recall.remedy, description: recall.description },
    });
  }
  return inserted.rows.length;
}

export const ZRecallResponse = z
  .object({
    response: z
      .string()
      .trim()
      .min(2)
      .max(2000)
      .describe('What the buyer says: still has it, wants the remedy, …'),
  })
  .meta({ example: { response: 'I still have one unit and would like the refund.' } });

/** The buyer answers its notice; an agent later records the remedy as done. */
export async function respondToRecall(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  recallId: string,
  input: z.infer<typeof ZRecallResponse>,
): Promise<RecallNoticeRow> {
  const notice = await lockNotice(tx, recallId, principal.partyId ?? '');
  if (!notice || principal.role !== 'customer') throw notFound('recall notice', recallId);
  if (notice.status === 'remedied') throw new AppError('conflict', 'the remedy was already given');
  return tx
    .updateTable('recall_notices')
    .set({ status: 'responded', response: input.response, responded_at: ctx.clock.now() })
    .where('recall_id', '=', recallId)
    .where('customer_id', '=', notice.customer_id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function markRemedied(
  tx: Tx,
  ctx: AppContext,
  recallId: string,
  customerId: string,
): Promise<RecallNoticeRow> {
  const notice = await lockNotice(tx, recallId, customerId);
  if (!notice) throw notFound('recall notice', `${recallId}/${customerId}`);
  if (notice.status === 'remedied') throw new AppError('conflict', 'the remedy was already recorded');
  return tx
    .updateTable('recall_notices')
    .set({ status: 'remedied', remedied_at: ctx.clock.now() })
    .where('recall_id', '=', recallId)
    .where('customer_id', '=', customerId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

const lockNotice = (tx: Tx, recallId: string, customerId: string) =>
  tx
    .selectFrom('recall_notices')
    .selectAll()
    .where('recall_id', '=', recallId)
    .where('customer_id', '=', customerId)
    .forUpdate()
    .executeTakeFirst();

/** How far the recall has come: buyers notified, who answered, who got the remedy. */
export async function recallProgress(db: Queryable, recallId: string) {
  const recall = await findRecall(db, recallId);
  if (!recall) return null;
  const rows = await db
    .selectFrom('recall_notices')
    .select([
      'status',
      sql<number>`count(*)::int`.as('buyers'),
      sql<number>`coalesce(sum(units), 0)::int`.as('units'),
    ])
    .where('recall_id', '=', recallId)
    .groupBy('status')
    .execute();
  const of = (status: string) => rows.find((r) => r.status === status);
  const count = (status: string) => Number(of(status)?.buyers ?? 0);
  return {
    recall,
    progress: {
      notified: count('notified') + count('responded') + count('remedied'),
      responded: count('responded') + count('remedied'),
      remedied: count('remedied'),
      unitsRemedied: Number(of('remedied')?.units ?? 0),
    },
  };
}

/**
 * The recall's notices as CSV for the marketplace's recall team (no contact data: ids only).
 * RFC 4180 quoting is a few lines; a CSV library would be a dependency for one export.
 */
export async function recallCsv(db: Queryable, recallId: string): Promise<string> {
  const notices = await db
    .selectFrom('recall_notices')
    .selectAll()
    .where('recall_id', '=', recallId)
    .orderBy('customer_id')
    .execute();
  const cell = (value: string | number | null) => {
    const text = value === null ? '' : String(value);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [
    'recall_id,customer_id,units,status,notified_at,responded_at,remedied_at,response',
    ...notices.map((n) =>
      [
        n.recall_id,
        n.customer_id,
        n.units,
        n.status,
        n.notified_at.toISOString(),
        n.responded_at?.toISOString() ?? null,
        n.remedied_at?.toISOString() ?? null,
        n.response,
      ]
        .map(cell)
        .join(','),
    ),
  ];
  return `${lines.join('\n')}\n`;
}
