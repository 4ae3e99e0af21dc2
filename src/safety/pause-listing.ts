import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { emitSafetyEvent } from './events.ts';

/*
 * Both a triaged alert (alerts.ts) and an opened recall (recalls.ts) pause a listing, and alerts.ts
 * opens recalls: the pause lives in its own file so neither imports the other for it.
 */

/** Stops sales of a product; the marketplace's systems and the seller learn it by event. */
export async function pauseListing(
  tx: Tx,
  ctx: AppContext,
  productId: string,
  marketplaceId: string,
  why: { alertId: string | null; note: string | null; recallId?: string },
): Promise<void> {
  const product = await tx
    .updateTable('products')
    .set({ listing_status: 'paused', updated_at: ctx.clock.now() })
    .where('id', '=', productId)
    .returning(['id', 'seller_id'])
    .executeTakeFirstOrThrow();
  await emitSafetyEvent(tx, ctx.clock, {
    type: 'safety.listing_paused',
    marketplaceId,
    subjectId: productId,
    productId,
    sellerId: product.seller_id,
    data: why,
  });
}
