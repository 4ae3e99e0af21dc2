import type { Clock } from '../platform/clock.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { unprocessable } from '../platform/errors.ts';
import { orderProblem } from './order-rules.ts';
import type { OrderInput } from './schemas.ts';
import { findCustomer, findMarketplace, findOrder, findOrderLines } from './store.ts';
import { toOrderView } from './views.ts';

/**
 * Creates or updates an order and its lines; deliveries arrive as updates of the same order.
 * Lines missing from the body are kept rather than deleted: a claim may already refer to them.
 */
export async function putOrder(db: Queryable, clock: Clock, id: string, input: OrderInput) {
  const productIds = [...new Set(input.lines.map((l) => l.productId))];
  const products = await db
    .selectFrom('products')
    .innerJoin('seller_marketplaces', 'seller_marketplaces.seller_id', 'products.seller_id')
    .select(['products.id', 'products.seller_id', 'seller_marketplaces.marketplace_id'])
    .where('products.id', 'in', productIds)
    .execute();
  const productsById = new Map<string, { seller_id: string; marketplace_ids: string[] }>();
  for (const p of products) {
    const known = productsById.get(p.id) ?? { seller_id: p.seller_id, marketplace_ids: [] };
    known.marketplace_ids.push(p.marketplace_id);
    productsById.set(p.id, known);
  }
  const problem = orderProblem(input, {
    marketplace: await findMarketplace(db, input.marketplaceId),
    customer: await findCustomer(db, input.customerId),
    existing: await findOrder(db, id),
    productsById,
  });
  if (problem) throw unprocessable(problem.field, problem.rule);
  const now = clock.now();
  await db
    .insertInto('orders')
    .values({
      id,
      marketplace_id: input.marketplaceId,
      customer_id: input.customerId,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('id').doUpdateSet({ updated_at: now }))
    .execute();
  for (const line of input.lines) {
    const fields = {
      product_id: line.productId,
      seller_id: line.sellerId,
      quantity: line.quantity,
      unit_price: line.unitPrice.value,
      currency: line.unitPrice.currency,
      delivered_at: line.deliveredAt,
    };
    await db
      .insertInto('order_lines')
      // The order's marketplace: an order keeps its customer, and a customer its marketplace.
      .values({ order_id: id, line_id: line.lineId, marketplace_id: input.marketplaceId, ...fields })
      .onConflict((oc) => oc.columns(['order_id', 'line_id']).doUpdateSet(fields))
      .execute();
  }
  const stored = await findOrder(db, id);
  if (!stored) throw new Error(`order ${id} vanished while being written`);
  return toOrderView(stored, await findOrderLines(db, id));
}
