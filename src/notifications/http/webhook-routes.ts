import { z } from 'zod';
import { ZExternalId } from '../../marketplace/schemas.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { json } from '../../platform/db/sql.ts';
import { AppError, notFound, unprocessable } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { newId } from '../../platform/ids.ts';
import { audienceOf, eventTypesFor, ZEventType } from '../catalogue.ts';
import {
  assertReceivableEventTypes,
  type EndpointOwner,
  findOwnEndpoint,
  toEndpointView,
  ZEndpoint,
} from '../endpoints/endpoint-store.ts';
import { newSigningSecret } from '../endpoints/rotate-webhook-secret.ts';
import { assertPublicTarget } from '../ssrf.ts';
import { registerWebhookEndpointManagementRoutes } from './webhook-endpoint-management-routes.ts';

const ZDelivery = z
  .object({
    id: z.string(),
    messageId: z.string(),
    eventType: z.string(),
    claimId: z.string(),
    status: z.enum(['pending', 'delivering', 'delivered', 'dead']),
    attempts: z.array(
      z.object({
        attempt: z.number(),
        at: z.string(),
        statusCode: z.number().nullable(),
        error: z.string().nullable(),
        durationMs: z.number(),
        response: z.string().nullable(),
      }),
    ),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });

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
    config: { roles: ['admin', 'agent', 'customer', 'seller', 'insurer', 'expert'] },
    schema: {
      summary: 'The catalogue of events you may see: each type, its meaning, its words and its fields',
      description:
        'Staff get every type with the JSON Schema of its payload. A customer, seller, insurer or expert gets ' +
        'only the types it may see, the words it is shown (English and Spanish) and the data fields it receives.',
      tags,
      response: { 200: z.object({ data: z.array(ZEventType) }) },
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
      response: { 201: ZEndpoint.extend({ secret: z.string().describe('whsec_…: shown only now') }) },
    },
    handler: async (request, reply) => {
      const owner = ownerOf(request.principal, request.body.marketplaceId);
      assertReceivableEventTypes(owner, request.body.eventTypes, 'body.eventTypes');
      await assertPublicTarget(request.body.url, ctx.notifications.webhooks.allowPrivateTargets);
      if (
        owner.role === 'admin' &&
        !(await ctx.db.selectFrom('marketplaces').select('id').where('id', '=', owner.id).executeTakeFirst())
      ) {
        throw unprocessable('body.marketplaceId', `marketplace ${owner.id} does not exist`);
      }
      const secret = newSigningSecret();
      const row = await ctx.db
        .insertInto('webhook_endpoints')
        .values({
          id: newId('webhookEndpoint', ctx.clock),
          owner_role: owner.role,
          owner_id: owner.id,
          url: request.body.url,
          event_types: json(request.body.eventTypes),
          secret,
          created_at: ctx.clock.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return reply.status(201).send({ ...toEndpointView(row), secret });
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/webhook-endpoints',
    config: { roles: owners },
    schema: {
      summary: 'Your webhook endpoints',
      tags,
      response: { 200: z.object({ data: z.array(ZEndpoint) }) },
    },
    handler: async (request) => {
      const p = request.principal;
      let query = ctx.db.selectFrom('webhook_endpoints').selectAll().where('deleted_at', 'is', null);
      query =
        p.role === 'admin'
          ? query.where('owner_role', '=', 'admin')
          : query.where('owner_role', '=', p.role).where('owner_id', '=', p.partyId ?? '');
      return { data: (await query.orderBy('id').execute()).map(toEndpointView) };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/webhook-endpoints/:id/deliveries',
    config: { roles: owners },
    schema: {
      summary:
        'Deliveries to an endpoint with every attempt and response, newest first; status=dead is the dead-letter list',
      tags,
      params: z.object({ id: z.string().max(64) }),
      querystring: z.object({
        status: z.enum(['pending', 'delivering', 'delivered', 'dead']).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: { 200: z.object({ data: z.array(ZDelivery) }) },
    },
    handler: async (request) => {
      const endpoint = await findOwnEndpoint(ctx.db, request.principal, request.params.id);
      let query = ctx.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpoint.id);
      if (request.query.status) query = query.where('status', '=', request.query.status);
      const deliveries = await query.orderBy('outbox_id', 'desc').limit(request.query.limit).execute();
      const attempts = deliveries.length
        ? await ctx.db
            .selectFrom('webhook_attempts')
            .selectAll()
            .where(
              'delivery_id',
              'in',
              deliveries.map((d) => d.id),
            )
            .orderBy('attempt')
            .execute()
        : [];
      return {
        data: deliveries.map((d) => ({
          id: d.id,
          messageId: d.message_id,
          eventType: d.event_type,
          claimId: d.aggregate_id,
          status: d.status as 'pending',
          attempts: attempts
            .filter((a) => a.delivery_id === d.id)
            .map((a) => ({
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
      tags,
      params: z.object({ id: z.string().max(64) }),
      response: { 200: z.object({ id: z.string(), status: z.literal('pending') }) },
    },
    handler: async (request) => {
      const delivery = await ctx.db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!delivery) throw notFound('webhook delivery', request.params.id);
      await findOwnEndpoint(ctx.db, request.principal, delivery.endpoint_id);
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
    },
  });
}
