import type { Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { findOwnEndpoint, type WebhookEndpointRow } from './endpoint-store.ts';

/**
 * Disables or enables an endpoint. While disabled, no new event is queued for it (the fan-out
 * skips inactive endpoints) and deliveries already queued wait; on enabling they go out.
 */
export async function setWebhookEndpointActive(
  ctx: AppContext,
  principal: Principal,
  id: string,
  active: boolean,
): Promise<WebhookEndpointRow> {
  return ctx.db.transaction().execute(async (tx) => {
    const endpoint = await findOwnEndpoint(tx, principal, id, { forUpdate: true });
    return tx
      .updateTable('webhook_endpoints')
      .set({ active })
      .where('id', '=', endpoint.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
