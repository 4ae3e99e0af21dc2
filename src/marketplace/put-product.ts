import type { Clock } from '../platform/clock.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { unprocessable } from '../platform/errors.ts';
import type { ProductInput } from './schemas.ts';
import { findProduct, findSeller } from './store.ts';
import { toProductView } from './views.ts';

export async function putProduct(db: Queryable, clock: Clock, id: string, input: ProductInput) {
  const seller = await findSeller(db, input.sellerId);
  if (!seller) throw unprocessable('body.sellerId', `seller ${input.sellerId} does not exist`);
  const now = clock.now();
  const fields = {
    seller_id: input.sellerId,
    // The seller's home marketplace, moved with the product if it changes seller.
    marketplace_id: seller.marketplace_id,
    title: input.title,
    category: input.category,
    brand: input.brand ?? null,
    upc: input.upc ?? null,
    model_number: input.modelNumber ?? null,
    updated_at: now,
  };
  await db
    .insertInto('products')
    .values({ id, created_at: now, ...fields })
    .onConflict((oc) => oc.column('id').doUpdateSet(fields))
    .execute();
  const stored = await findProduct(db, id);
  if (!stored) throw new Error(`product ${id} vanished while being written`);
  return toProductView(stored);
}
