import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-types.ts';
import { deleteWebhookEndpoint } from '../endpoints/delete-webhook-endpoint.ts';
import { toEndpointView, ZEndpoint } from '../endpoints/endpoint-store.ts';
import { rotateWebhookSecret, ZRotatedSecret, ZSecretRotation } from '../endpoints/rotate-webhook-secret.ts';
import { sendTestWebhook, ZTestDelivery } from '../endpoints/send-test-webhook.ts';
import { setWebhookEndpointActive } from '../endpoints/set-webhook-endpoint-active.ts';
import { updateWebhookEndpoint, ZEndpointChange } from '../endpoints/update-webhook-endpoint.ts';

const ZEndpointParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .describe('The endpoint id')
    .meta({ example: 'whe_01jd0000000000000000000000' }),
});

const OWNER_ONLY =
  'Only the endpoint’s owner may do this: an admin for a marketplace’s endpoints, a seller or insurer for ' +
  'its own; anyone else’s endpoint, or a deleted one, is 404.';

/** Managing an existing endpoint: change it, pause it, remove it, rotate its secret, try it. */
export function registerWebhookEndpointManagementRoutes(app: App, ctx: AppContext): void {
  const tags = ['notifications'];
  const owners = ['admin', 'seller', 'insurer'] as const;

  app.route({
    method: 'PATCH',
    url: '/v1/webhook-endpoints/:id',
    config: { roles: owners },
    schema: {
      summary: 'Change an endpoint’s URL or event types',
      description: `A new URL is checked like a new endpoint: public addresses only. ${OWNER_ONLY}`,
      tags,
      params: ZEndpointParams,
      body: ZEndpointChange,
      response: { 200: ZEndpoint },
    },
    handler: async (request) =>
      toEndpointView(await updateWebhookEndpoint(ctx, request.principal, request.params.id, request.body)),
  });

  for (const [action, active] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    app.route({
      method: 'POST',
      url: `/v1/webhook-endpoints/:id/${action}`,
      config: { roles: owners },
      schema: {
        summary: active ? 'Enable an endpoint again' : 'Pause deliveries to an endpoint',
        description: active
          ? `Deliveries waiting for it go out, in order. ${OWNER_ONLY}`
          : `No new event is queued for it and queued deliveries wait until it is enabled. ${OWNER_ONLY}`,
        tags,
        params: ZEndpointParams,
        response: { 200: ZEndpoint },
      },
      handler: async (request) =>
        toEndpointView(await setWebhookEndpointActive(ctx, request.principal, request.params.id, active)),
    });
  }

  app.route({
    method: 'DELETE',
    url: '/v1/webhook-endpoints/:id',
    config: { roles: owners },
    schema: {
      summary: 'Delete an endpoint',
      description: `It receives nothing more; deliveries not yet made are dead-lettered and cannot be replayed. ${OWNER_ONLY}`,
      tags,
      params: ZEndpointParams,
    },
    handler: async (request, reply) => {
      await deleteWebhookEndpoint(ctx, request.principal, request.params.id);
      return reply.status(204).send();
    },
  });

  app.route({
    method: 'POST',
    url: '/v1/webhook-endpoints/:id/rotate-secret',
    config: { roles: owners },
    schema: {
      summary: 'Rotate the signing secret, with both secrets valid for an overlap',
      description:
        'Returns the new secret once. Until previousSecretExpiresAt every message carries two signatures in ' +
        'webhook-signature (Standard Webhooks allows several), one by each secret, so a receiver verifying with ' +
        `either accepts it. Rotating again during an overlap retires the oldest secret at once. ${OWNER_ONLY}`,
      tags,
      params: ZEndpointParams,
      body: ZSecretRotation,
      response: {
        200: ZRotatedSecret.meta({
          example: {
            secret: 'whsec_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0',
            previousSecretExpiresAt: '2026-12-02T10:00:00.000Z',
          },
        }),
      },
    },
    handler: async (request) =>
      rotateWebhookSecret(ctx, request.principal, request.params.id, request.body.overlapSeconds),
  });

  app.route({
    method: 'POST',
    url: '/v1/webhook-endpoints/:id/test',
    config: { roles: owners },
    schema: {
      summary: 'Send a signed webhook.test message now and report the answer',
      description:
        'Goes through the same address checks and signing as real deliveries, is not retried and is not in the ' +
        `delivery log. Works on a disabled endpoint. ${OWNER_ONLY}`,
      tags,
      params: ZEndpointParams,
      response: { 200: ZTestDelivery },
    },
    handler: async (request) => sendTestWebhook(ctx, request.principal, request.params.id),
  });
}
