import type { Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { findOwnEndpoint } from './endpoint-store.ts';

/**
 * Puts a dead-lettered delivery back in the queue for a fresh round of retries. Only the owner of
 * its endpoint may, and only a dead delivery is replayed (409 otherwise); it keeps its webhook-id,
 * so a receiver that did process it can tell.
 */
export async function replayWebhookDelivery(ctx: AppContext, principal: Principal, id: string) {
  const delivery = await ctx.db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!delivery) throw notFound('webhook delivery', id);
  await findOwnEndpoint(ctx.db, principal, delivery.endpoint_id);
  if (delivery.status !== 'dead')
    throw new AppError(
      'conflict',
      `delivery ${delivery.id} is ${delivery.status}; only dead deliveries are replayed`,
    );
  await ctx.db
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      status: 'pending',
      replayed_after: eb.ref('attempts'),
      next_attempt_at: ctx.clock.now(),
      last_error: null,
    }))
    .where('id', '=', delivery.id)
    .execute();
  return { id: delivery.id, status: 'pending' as const };
}
