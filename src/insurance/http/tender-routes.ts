import { z } from 'zod';
import { ZIdempotencyHeaders } from '../../claims/http/claims-routes.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { idempotentRequest } from '../../platform/http/idempotent-request.ts';
import { ZPageQuery } from '../../platform/http/paging.ts';
import {
  answerTender,
  canSeeTender,
  provideTenderInformation,
  ZTenderAnswer,
  ZTenderInformation,
} from '../answer-tender.ts';
import { findTender, listTenders } from '../store.ts';
import { TENDER_EXAMPLE, TENDER_STATUSES, toTenderView, ZTender } from '../views.ts';

const tags = ['insurance'];
const ZTenderParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .describe('The tender id (tnd_…), from GET /v1/tenders; each demo database has its own')
    .meta({ example: TENDER_EXAMPLE.id }),
});

export function registerTenderRoutes(app: App, ctx: AppContext): void {
  app.route({
    method: 'GET',
    url: '/v1/tenders',
    config: { roles: ['insurer', 'seller', 'agent', 'admin'] },
    schema: {
      summary: 'Claims and recoveries tendered to insurers, newest first (an insurer or seller sees its own)',
      description:
        "An insurer's work list: each tender has its deadline (`dueAt`), after which the marketplace may step in. " +
        'Filter by status, for example `open` or `info_requested`.',
      tags,
      querystring: ZPageQuery.extend({ status: z.enum(TENDER_STATUSES).optional() }),
      response: {
        200: z
          .object({ data: z.array(ZTender), nextCursor: z.string().nullable() })
          .meta({ example: { data: [TENDER_EXAMPLE], nextCursor: null } }),
      },
    },
    handler: async (request) => {
      const { principal } = request;
      const q = request.query;
      const { page, nextCursor } = await listTenders(
        ctx.db,
        {
          ...(principal.role === 'insurer' ? { insurerId: principal.partyId ?? '' } : {}),
          ...(principal.role === 'seller' ? { sellerId: principal.partyId ?? '' } : {}),
          ...(q.status ? { status: q.status } : {}),
        },
        q,
      );
      return { data: page.map(toTenderView), nextCursor };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/tenders/:id',
    config: { roles: ['insurer', 'seller', 'agent', 'admin'] },
    schema: {
      summary: 'One tender',
      description:
        'The tender with its question and answer, if any. The claim as tendered is GET /v1/claims/{claimId}, ' +
        'which the insurer may read while the tender is its own.',
      tags,
      params: ZTenderParams,
      response: { 200: ZTender },
    },
    handler: async (request) => {
      const tender = await findTender(ctx.db, request.params.id);
      if (!tender || !canSeeTender(request.principal, tender)) throw notFound('tender', request.params.id);
      return toTenderView(tender);
    },
  });

  app.route({
    method: 'POST',
    url: '/v1/tenders/:id',
    config: { roles: ['insurer'] },
    schema: {
      summary:
        'The insurer answers a tender: accept (and pay), decline with a reason, or ask for information',
      description:
        'Accepting a claim tender pays the customer in full; accepting a recovery tender pays the marketplace ' +
        'the amount less the deductible, which is charged to the seller. Declining a claim hands it back to ' +
        'the seller with a fresh deadline; silence past the deadline lets the marketplace step in.',
      tags,
      params: ZTenderParams,
      headers: ZIdempotencyHeaders,
      body: ZTenderAnswer,
      response: { 200: ZTender },
    },
    handler: async (request) => {
      const result = await idempotentRequest(
        ctx,
        request,
        `tenders.answer:${request.params.id}`,
        async (tx) => ({
          status: 200,
          body: toTenderView(await answerTender(tx, ctx, request.principal, request.params.id, request.body)),
        }),
      );
      return result.body;
    },
  });

  app.route({
    method: 'POST',
    url: '/v1/tenders/:id/information',
    config: { roles: ['seller', 'agent', 'admin'] },
    schema: {
      summary: "Answer the insurer's question on a tender; the insurer then has a fresh deadline",
      description:
        'Only while the tender is info_requested (409 otherwise). The seller, or staff for it, answers in text; ' +
        'the tender is open again with a new deadline.',
      tags,
      params: ZTenderParams,
      body: ZTenderInformation,
      response: { 200: ZTender },
    },
    handler: async (request) =>
      toTenderView(
        await ctx.db
          .transaction()
          .execute((tx) =>
            provideTenderInformation(tx, ctx, request.principal, request.params.id, request.body),
          ),
      ),
  });
}
