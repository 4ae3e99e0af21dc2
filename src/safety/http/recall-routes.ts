import { z } from 'zod';
import { ZIdempotencyHeaders } from '../../claims/http/claims-routes.ts';
import { ZExternalId } from '../../marketplace/schemas.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { idempotentRequest } from '../../platform/http/idempotent-request.ts';
import { ZPageQuery } from '../../platform/http/paging.ts';
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
const ZIdParams = z.object({ id: z.string().min(1).max(64) });

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
      description: 'A product has one open recall; a second is refused with 409 and notifies nobody.',
      tags,
      params: z.object({ id: ZExternalId }),
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
      tags,
      querystring: ZPageQuery,
      response: { 200: z.object({ data: z.array(ZRecall), nextCursor: z.string().nullable() }) },
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
    schema: { summary: 'A recall with its progress', tags, params: ZIdParams, response: { 200: ZRecall } },
    handler: async (request) => render(await readable(request.principal, request.params.id)),
  });

  app.route({
    method: 'POST',
    url: '/v1/recalls/:id/response',
    config: { roles: ['customer'] },
    schema: {
      summary: 'A buyer answers its recall notice',
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
      tags,
      params: ZIdParams.extend({ customerId: ZExternalId }),
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
    schema: { summary: 'The recall’s notices and their progress, as CSV', tags, params: ZIdParams },
    handler: async (request, reply) => {
      const recall = await readable(request.principal, request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${recall.id}-notices.csv"`)
        .send(await recallCsv(ctx.db, recall.id));
    },
  });
}
