import { z } from 'zod';
import type { Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { webhookHeaders } from '../webhook-signing.ts';
import { postWebhook } from '../webhook-transport.ts';
import { findOwnEndpoint } from './endpoint-store.ts';

export const TEST_EVENT_TYPE = 'webhook.test';

export const ZTestDelivery = z
  .object({
    messageId: z.string(),
    delivered: z.boolean().describe('The receiver answered 2xx'),
    statusCode: z.number().nullable(),
    error: z.string().nullable().describe('Why no answer came (refused target, timeout, connection error)'),
    durationMs: z.number(),
    response: z
      .string()
      .nullable()
      .describe("The start of the receiver's answer; only from a public address"),
  })
  .meta({
    id: 'WebhookTestDelivery',
    example: {
      messageId: 'evt_01jd0000000000000000000000',
      delivered: true,
      statusCode: 204,
      error: null,
      durationMs: 84,
      response: '',
    },
  });

/**
 * Sends one signed `webhook.test` message now, through the same transport and checks as real
 * deliveries, and reports what happened. It is not queued or retried and touches no claim, so an
 * owner can check a new URL or a rotated secret, also while the endpoint is disabled.
 */
export async function sendTestWebhook(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<z.infer<typeof ZTestDelivery>> {
  const endpoint = await findOwnEndpoint(ctx.db, principal, id);
  const messageId = newId('event', ctx.clock);
  const sentAt = ctx.clock.now();
  const body = JSON.stringify({
    id: messageId,
    type: TEST_EVENT_TYPE,
    timestamp: sentAt.toISOString(),
    marketplaceId: endpoint.owner_role === 'admin' ? endpoint.owner_id : null,
    data: { endpointId: endpoint.id },
  });
  const started = performance.now();
  const answer = await postWebhook({
    url: endpoint.url,
    headers: webhookHeaders(endpoint, messageId, sentAt, body),
    body,
    timeoutMs: ctx.notifications.webhooks.timeoutMs,
    allowPrivate: ctx.notifications.webhooks.allowPrivateTargets,
  });
  return {
    messageId,
    delivered: answer.statusCode !== null && answer.statusCode >= 200 && answer.statusCode < 300,
    statusCode: answer.statusCode,
    error: answer.error,
    durationMs: Math.round(performance.now() - started),
    response: answer.responseExcerpt,
  };
}
