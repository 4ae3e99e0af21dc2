import { z } from 'zod';
import { ZExternalId } from '../../marketplace/schemas.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { unprocessable } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { audienceOf, eventTypesFor, ZEventType } from '../catalogue.ts';
import {
  type EndpointOwner,
  endpointDeliveries,
  findOwnEndpoint,
  listOwnEndpoints,
  toEndpointView,
  WEBHOOK_ENDPOINT_EXAMPLE,
  ZEndpoint,
} from '../endpoints/endpoint-store.ts';
import { registerWebhookEndpoint } from '../endpoints/register-webhook-endpoint.ts';
import { replayWebhookDelivery } from '../endpoints/replay-webhook-delivery.ts';
import { registerWebhookEndpointManagementRoutes } from './webhook-endpoint-management-routes.ts';

const EVENT_TYPE_EXAMPLE = {
  type: 'claim.seller_notified',
  description: 'The seller was told of the claim and asked to answer by a deadline',
  words: { en: 'Seller notified', es: 'Vendedor notificado' },
  audiences: ['staff', 'claimant', 'seller'],
  fields: ['deadline'],
  schema: { type: 'object' },
};

const DELIVERY_EXAMPLE = {
  id: 'whd_01jd0000000000000000000000',
  messageId: 'msg_01jd0000000000000000000000',
  eventType: 'claim.seller_notified',
  claimId: 'clm_01m8mde2p1kh4908cmvand5570',
  status: 'delivered' as const,
  attempts: [
    {
      attempt: 1,
      at: '2026-11-16T15:00:01.000Z',
      statusCode: 503,
      error: null,
      durationMs: 120,
      response: 'busy',
    },
    {
      attempt: 2,
      at: '2026-11-16T15:00:31.000Z',
      statusCode: 200,
      error: null,
      durationMs: 85,
      response: 'ok',
    },
  ],
  nextAttemptAt: null,
  deliveredAt: '2026-11-16T15:00:31.000Z',
};

const ZDelivery = z
  .object({
    id: z.string(),
    messageId: z.string().describe('The webhook-id header: the same on every attempt, for de-duplication'),
    eventType: z.string(),
    claimId: z.string().describe('The claim (or other record) the event is about'),
    status: z
      .enum(['pending', 'delivering', 'delivered', 'dead'])
      .describe('dead: every retry failed; replay it with POST /v1/webhook-deliveries/{id}/retry'),
    attempts: z.array(
      z.object({
        attempt: z.number(),
        at: z.string(),
        statusCode: z.number().nullable(),
        error: z.string().nullable(),
        durationMs: z.number(),
        response: z.string().nullable().describe("The start of the receiver's answer"),
      }),
    ),
    nextAttemptAt: z.string().nullable().describe('When the next retry is due; null when delivered or dead'),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'WebhookDelivery', example: DELIVERY_EXAMPLE });

const ZDeliveryId = z
  .string()
  .max(64)
  .describe('A delivery id (whd_…)')
  .meta({ example: 'whd_01jd0000000000000000000000' });
const ZEndpointId = z
  .string()
  .max(64)
  .describe('A webhook endpoint id (whe_…); GET /v1/webhook-endpoints lists them')
  .meta({ example: 'whe_01jd0000000000000000000000' });

/** Whose endpoint this key may manage: an admin's marketplace, or the seller or insurer itself. */
function ownerOf(principal: Principal, marketplaceId: string | undefined): EndpointOwner {
  if (principal.role === 'admin') {
    if (!marketplaceId)
      throw unprocessable('body.marketplaceId', 'an admin names the marketplace the endpoint is for');
    return { role: 'admin', id: marketplaceId };
  }
  if (marketplaceId)
    throw unprocessable('body.marketplaceId', 'a seller or insurer endpoint receives its own events only');
  return { role: principal.role as 'seller' | 'insurer', id: principal.partyId ?? '' };
}

export function registerWebhookRoutes(app: App, ctx: AppContext): void {
  const tags = ['notifications'];
  const owners = ['admin', 'seller', 'insurer'] as const;
  registerWebhookEndpointManagementRoutes(app, ctx);

  app.route({
    method: 'GET',
    url: '/v1/event-types',
    config: { roles: ['admin', 'agent', 'tpa', 'customer', 'seller', 'insurer', 'expert'] },
    schema: {
      summary: 'The catalogue of events you may see: each type, its meaning, its words and its fields',
      description:
        'Staff get every type with the JSON Schema of its payload. A customer, seller, insurer or expert gets ' +
        'only the types it may see, the words it is shown (English and Spanish) and the data fields it receives.',
      tags,
      response: {
        200: z.object({ data: z.array(ZEventType) }).meta({ example: { data: [EVENT_TYPE_EXAMPLE] } }),
      },
    },
    handler: async (request) => ({ data: eventTypesFor(audienceOf(request.principal.role)) }),
  });

  app.route({
    method: 'POST',
    url: '/v1/webhook-endpoints',
    config: { roles: owners },
    schema: {
      summary: 'Register a webhook endpoint; the signing secret is returned once',
      description:
        'Deliveries follow Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). Targets on loopback, ' +
        'private or link-local addresses are refused unless the operator allows them (REDRESS_WEBHOOK_ALLOW_PRIVATE=1).',
      tags,
      body: z
        .object({
          url: z.url(),
          eventTypes: z
            .array(z.string())
            .min(1)
            .max(100)
            .describe('Event types, or ["*"] for all the key may receive'),
          marketplaceId: ZExternalId.optional().describe('Required for an admin: whose events'),
        })
        .meta({
          example: {
            url: 'https://hooks.example.com/redress',
            eventTypes: ['claim.seller_notified', 'claim.paid'],
          },
        }),
      response: {
        201: ZEndpoint.extend({ secret: z.string().describe('whsec_…: shown only now') }).meta({
          example: { ...WEBHOOK_ENDPOINT_EXAMPLE, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
        }),
      },
    },
    handler: async (request, reply) => {
      const owner = ownerOf(request.principal, request.body.marketplaceId);
      const { row, secret } = await registerWebhookEndpoint(ctx, owner, request.body);
      return reply.status(201).send({ ...toEndpointView(row), secret });
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/webhook-endpoints',
    config: { roles: owners },
    schema: {
      summary: 'Your webhook endpoints',
      description:
        "An admin sees the marketplaces' endpoints; a seller or insurer its own. Secrets are never listed: " +
        'rotate one to get a new one.',
      tags,
      response: {
        200: z.object({ data: z.array(ZEndpoint) }).meta({ example: { data: [WEBHOOK_ENDPOINT_EXAMPLE] } }),
      },
    },
    handler: async (request) => {
      return { data: (await listOwnEndpoints(ctx.db, request.principal)).map(toEndpointView) };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/webhook-endpoints/:id/deliveries',
    config: { roles: owners },
    schema: {
      summary:
        'Deliveries to an endpoint with every attempt and response, newest first; status=dead is the dead-letter list',
      description:
        'Each delivery is one event to this endpoint; its attempts show the status code, the time taken and the ' +
        'start of the answer. A failing receiver is retried with backoff until the delivery is dead.',
      tags,
      params: z.object({ id: ZEndpointId }),
      querystring: z.object({
        status: z
          .enum(['pending', 'delivering', 'delivered', 'dead'])
          .optional()
          .describe('Only deliveries in this state'),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: {
        200: z.object({ data: z.array(ZDelivery) }).meta({ example: { data: [DELIVERY_EXAMPLE] } }),
      },
    },
    handler: async (request) => {
      const endpoint = await findOwnEndpoint(ctx.db, request.principal, request.params.id);
      const deliveries = await endpointDeliveries(ctx.db, endpoint.id, request.query);
      return {
        data: deliveries.map(({ delivery: d, attempts }) => ({
          id: d.id,
          messageId: d.message_id,
          eventType: d.event_type,
          claimId: d.aggregate_id,
          status: d.status as 'pending',
          attempts: attempts.map((a) => ({
            attempt: a.attempt,
            at: a.at.toISOString(),
            statusCode: a.status_code,
            error: a.error,
            durationMs: a.duration_ms,
            response: a.response_excerpt,
          })),
          nextAttemptAt: d.next_attempt_at?.toISOString() ?? null,
          deliveredAt: d.delivered_at?.toISOString() ?? null,
        })),
      };
    },
  });

  app.route({
    method: 'POST',
    url: '/v1/webhook-deliveries/:id/retry',
    config: { roles: owners },
    schema: {
      summary: 'Replay a dead-lettered delivery (a fresh round of retries)',
      description:
        'Only a dead delivery is replayed (409 otherwise): it is sent again with the same webhook-id, so a ' +
        'receiver that did process it can tell.',
      tags,
      params: z.object({ id: ZDeliveryId }),
      response: {
        200: z
          .object({ id: z.string(), status: z.literal('pending') })
          .meta({ example: { id: 'whd_01jd0000000000000000000000', status: 'pending' } }),
      },
    },
    handler: async (request) => replayWebhookDelivery(ctx, request.principal, request.params.id),
  });
}
