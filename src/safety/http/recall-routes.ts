import { z } from 'zod';
import { ZIdempotencyHeaders } from '../../claims/http/claims-routes.ts';
import { ZExternalId } from '../../marketplace/schemas.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { idempotentRequest } from '../../platform/http/idempotent-request.ts';
import { ZPageQuery } from '../../platform/http/paging.ts';
import { RECALL_EXAMPLE } from '../examples.ts';
import {
  markRemedied,
  openRecall,
  recallCsv,
  recallProgress,
  respondToRecall,
  ZRecallInput,
  ZRecallResponse,
} from '../recalls.ts';
import { findRecall, listReadableRecalls, mayReadRecall, type RecallRow } from '../store.ts';
import { toNoticeView, toRecallView, ZRecall, ZRecallNotice } from '../views.ts';

const tags = ['safety'];
const ZIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .describe(
      'The recall id (rcl_…); GET /v1/recalls lists them (the bare demo has none until one is opened)',
    )
    .meta({ example: RECALL_EXAMPLE.id }),
});

export function registerRecallRoutes(app: App, ctx: AppContext): void {
  const render = async (recall: RecallRow) => {
    const found = await recallProgress(ctx.db, recall.id);
    if (!found) throw notFound('recall', recall.id);
    return toRecallView(found.recall, found.progress);
  };

  const readable = async (principal: Principal, id: string) => {
    const recall = await findRecall(ctx.db, id);
    if (!recall || !(await mayReadRecall(ctx.db, principal, recall))) throw notFound('recall', id);
    return recall;
  };

  app.route({
    method: 'POST',
    url: '/v1/products/:id/recalls',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'Recall a product: pause its listing, link its claims, notify every buyer once',
      description:
        "Opens the recall: the listing is paused, the product's open claims are linked to it, and every " +
        'buyer gets one notice (by e-mail and on their claims) with the remedy. Staff only (admin, ' +
        'agent). A product has one open recall; a second is refused with 409 and notifies nobody. ' +
        'Errors: 404 unknown product, 400 for a bad body. A retry with the same `Idempotency-Key` ' +
        'returns the first answer.',
      tags,
      params: z.object({
        id: ZExternalId.describe('The product id (demo: prd-heater, prd-kettle, prd-charger)').meta({
          example: 'prd-heater',
        }),
      }),
      headers: ZIdempotencyHeaders,
      body: ZRecallInput,
      response: { 201: ZRecall },
    },
    handler: async (request, reply) => {
      const result = await idempotentRequest(
        ctx,
        request,
        `products.recall:${request.params.id}`,
        async (tx) => {
          const recall = await openRecall(tx, ctx, request.principal, request.params.id, request.body);
          const found = await recallProgress(tx, recall.id);
          if (!found) throw new Error(`recall ${recall.id} vanished`);
          return { status: 201, body: toRecallView(found.recall, found.progress) };
        },
      );
      return reply.status(201).send(result.body);
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/recalls',
    config: { roles: ['admin', 'agent', 'seller', 'customer'] },
    schema: {
      summary: 'Recalls, newest first (a seller sees its products’, a buyer those it was told of)',
      description:
        'Staff see every recall; a seller the recalls of its products; a buyer those it was notified of. ' +
        'Each with its progress: buyers notified, responded, remedied.',
      tags,
      querystring: ZPageQuery,
      response: {
        200: z
          .object({ data: z.array(ZRecall), nextCursor: z.string().nullable() })
          .meta({ example: { data: [RECALL_EXAMPLE], nextCursor: null } }),
      },
    },
    handler: async (request) => {
      const { principal } = request;
      const { page, nextCursor } = await listReadableRecalls(ctx.db, principal, request.query);
      return { data: await Promise.all(page.map(render)), nextCursor };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/recalls/:id',
    config: { roles: ['admin', 'agent', 'seller', 'customer'] },
    schema: {
      summary: 'A recall with its progress',
      description:
        'Callers: staff, the seller of the product, a buyer that was notified. Errors: 404 when it does ' +
        'not exist or the caller may not read it.',
      tags,
      params: ZIdParams,
      response: { 200: ZRecall },
    },
    handler: async (request) => render(await readable(request.principal, request.params.id)),
  });

  app.route({
    method: 'POST',
    url: '/v1/recalls/:id/response',
    config: { roles: ['customer'] },
    schema: {
      summary: 'A buyer answers its recall notice',
      description:
        'The buyer answers its notice (still has it, wants the remedy…); the notice becomes `responded`. ' +
        'Caller: a notified customer, for its own notice. Errors: 404 when the caller has no notice for ' +
        'this recall, 409 once the remedy was given, 400 for a bad body.',
      tags,
      params: ZIdParams,
      body: ZRecallResponse,
      response: { 200: ZRecallNotice },
    },
    handler: async (request) =>
      toNoticeView(
        await ctx.db
          .transaction()
          .execute((tx) => respondToRecall(tx, ctx, request.principal, request.params.id, request.body)),
      ),
  });

  app.route({
    method: 'POST',
    url: '/v1/recalls/:id/notices/:customerId/remedied',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'Record that a buyer received the remedy (refund, repair or replacement)',
      description:
        'An agent records that the buyer got the remedy (refund, repair or replacement); the notice ' +
        "becomes `remedied` and the recall's progress counts its units. Staff only. Errors: 404 when " +
        'there is no such notice, 409 when it was already remedied.',
      tags,
      params: ZIdParams.extend({
        customerId: ZExternalId.describe('The buyer notified (demo: cus-dana)').meta({ example: 'cus-dana' }),
      }),
      response: { 200: ZRecallNotice },
    },
    handler: async (request) =>
      toNoticeView(
        await ctx.db
          .transaction()
          .execute((tx) => markRemedied(tx, ctx, request.params.id, request.params.customerId)),
      ),
  });

  app.route({
    method: 'GET',
    url: '/v1/recalls/:id/notices.csv',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'The recall’s notices and their progress, as CSV',
      description:
        "One row per notified buyer with its units, status and dates (text/csv), for the regulator's " +
        'progress report. Staff only. Errors: 404 unknown recall.',
      tags,
      params: ZIdParams,
    },
    handler: async (request, reply) => {
      const recall = await readable(request.principal, request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${recall.id}-notices.csv"`)
        .send(await recallCsv(ctx.db, recall.id));
    },
  });
}
