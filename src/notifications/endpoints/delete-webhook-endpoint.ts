import type { Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { findOwnEndpoint } from './endpoint-store.ts';

/**
 * Deletes an endpoint: it receives nothing more and disappears from its owner's lists. The row
 * and its delivery log stay (an operator can still see what was sent where); deliveries not yet
 * made are dead-lettered, and a deleted endpoint's deliveries cannot be replayed.
 */
export async function deleteWebhookEndpoint(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const endpoint = await findOwnEndpoint(tx, principal, id, { forUpdate: true });
    const now = ctx.clock.now();
    await tx
      .updateTable('webhook_endpoints')
      .set({ active: false, deleted_at: now })
      .where('id', '=', endpoint.id)
      .execute();
    await tx
      .updateTable('webhook_deliveries')
      .set({ status: 'dead', next_attempt_at: null, lease_until: null, last_error: 'endpoint deleted' })
      .where('endpoint_id', '=', endpoint.id)
      .where('status', 'in', ['pending', 'delivering'])
      .execute();
  });
}
