import { z } from 'zod';
import type { Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { json } from '../../platform/db/sql.ts';
import { assertPublicTarget } from '../ssrf.ts';
import {
  assertReceivableEventTypes,
  findOwnEndpoint,
  ownerOfRow,
  type WebhookEndpointRow,
} from './endpoint-store.ts';

export const ZEndpointChange = z
  .object({
    url: z.url().optional().describe('A new target; checked like a new endpoint (public addresses only)'),
    eventTypes: z
      .array(z.string())
      .min(1)
      .max(100)
      .optional()
      .describe('Replaces the list of event types, or ["*"] for all the key may receive'),
  })
  .refine((change) => change.url !== undefined || change.eventTypes !== undefined, {
    message: 'name a url or eventTypes to change',
  })
  .meta({ example: { url: 'https://hooks.example.com/redress/v2', eventTypes: ['claim.paid'] } });

export type EndpointChange = z.infer<typeof ZEndpointChange>;

/** Changes where an endpoint points and what it receives; deliveries already queued keep their event. */
export async function updateWebhookEndpoint(
  ctx: AppContext,
  principal: Principal,
  id: string,
  change: EndpointChange,
): Promise<WebhookEndpointRow> {
  // The DNS check runs before the transaction: it may take seconds and needs no lock.
  if (change.url) await assertPublicTarget(change.url, ctx.notifications.webhooks.allowPrivateTargets);
  return ctx.db.transaction().execute(async (tx) => {
    const endpoint = await findOwnEndpoint(tx, principal, id, { forUpdate: true });
    if (change.eventTypes)
      assertReceivableEventTypes(ownerOfRow(endpoint), change.eventTypes, 'body.eventTypes');
    return tx
      .updateTable('webhook_endpoints')
      .set({
        ...(change.url ? { url: change.url } : {}),
        ...(change.eventTypes ? { event_types: json(change.eventTypes) } : {}),
      })
      .where('id', '=', endpoint.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
