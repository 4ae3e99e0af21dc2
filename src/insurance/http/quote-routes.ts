import { z } from 'zod';
import type { Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/sql.ts';
import { notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { ZPageQuery } from '../../platform/http/paging.ts';
import { answerBinding, bindQuote, ZBindingAnswer } from '../bind-quote.ts';
import { requestQuotes, submitQuote, ZQuoteInput, ZQuoteRequestInput } from '../request-quotes.ts';
import {
  findQuoteRequest,
  insurerNames,
  listQuoteRequests,
  type QuoteRequestRow,
  type QuoteRow,
  quotesOfRequest,
} from '../store.ts';
import { toQuoteRequestView, toQuoteView, ZQuote, ZQuoteRequest } from '../views.ts';

const tags = ['insurance network'];
const ZIdParams = z.object({ id: z.string().min(1).max(64) });

async function renderQuotes(db: Queryable, quotes: QuoteRow[]) {
  const names = await insurerNames(db, [...new Set(quotes.map((q) => q.insurer_id))]);
  return quotes.map((q) =>
    toQuoteView(q, names.get(q.insurer_id) ?? { name: q.insurer_id, financial_rating: null }),
  );
}

async function renderQuote(db: Queryable, quote: QuoteRow) {
  const [view] = await renderQuotes(db, [quote]);
  if (!view) throw new Error(`quote ${quote.id} did not render`);
  return view;
}

/**
 * The seller sees its requests; an insurer only what it was invited to or quoted on, and then
 * only its own quote: providers do not see each other's prices.
 */
function insurerMaySee(principal: Principal, request: QuoteRequestRow, quotes: QuoteRow[]) {
  const id = principal.partyId ?? '';
  return request.invited.includes(id) || quotes.some((q) => q.insurer_id === id);
}

export function registerQuoteRoutes(app: App, ctx: AppContext): void {
  const render = async (principal: Principal, request: QuoteRequestRow) => {
    let quotes = await quotesOfRequest(ctx.db, request.id);
    if (principal.role === 'insurer') {
      if (!insurerMaySee(principal, request, quotes)) return null;
      quotes = quotes.filter((q) => q.insurer_id === principal.partyId);
      const view = toQuoteRequestView(request, await renderQuotes(ctx.db, quotes), ctx.clock.now());
      return { ...view, declinedBy: [], awaiting: [] };
    }
    if (principal.role === 'seller' && request.seller_id !== principal.partyId) return null;
    return toQuoteRequestView(request, await renderQuotes(ctx.db, quotes), ctx.clock.now());
  };

  app.route({
    method: 'POST',
    url: '/v1/insurance/quote-requests',
    config: { roles: ['seller'] },
    schema: {
      summary: 'Ask the vetted providers of the insurance network for quotes',
      description:
        'Providers that rate by table answer at once; those that quote by API are invited and have until ' +
        '`respondBy`. Providers whose appetite excludes the seller are listed in `declinedBy` with their rules.',
      tags,
      body: ZQuoteRequestInput,
      response: { 201: ZQuoteRequest },
    },
    handler: async (request, reply) => {
      const created = await ctx.db
        .transaction()
        .execute((tx) => requestQuotes(tx, ctx, request.principal, request.body));
      const view = await render(request.principal, created);
      if (!view) throw new Error(`quote request ${created.id} is not its seller's`);
      return reply.status(201).send(view);
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/insurance/quote-requests',
    config: { roles: ['seller', 'insurer', 'agent', 'admin'] },
    schema: {
      summary: 'Quote requests, newest first (a seller sees its own, a provider those it was invited to)',
      tags,
      querystring: ZPageQuery,
      response: { 200: z.object({ data: z.array(ZQuoteRequest), nextCursor: z.string().nullable() }) },
    },
    handler: async (request) => {
      const { principal } = request;
      // A provider's invitations are filtered after reading: invited is a small JSON list.
      const { page, nextCursor } = await listQuoteRequests(
        ctx.db,
        principal.role === 'seller' ? { sellerId: principal.partyId ?? '' } : {},
        request.query,
      );
      const data = [];
      for (const row of page) {
        const view = await render(principal, row);
        if (view) data.push(view);
      }
      return { data, nextCursor };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/insurance/quote-requests/:id',
    config: { roles: ['seller', 'insurer', 'agent', 'admin'] },
    schema: {
      summary: 'A quote request with its quotes side by side (premium, limits, deductible, exclusions)',
      tags,
      params: ZIdParams,
      response: { 200: ZQuoteRequest },
    },
    handler: async (request) => {
      const row = await findQuoteRequest(ctx.db, request.params.id);
      const view = row ? await render(request.principal, row) : null;
      if (!view) throw notFound('quote request', request.params.id);
      return view;
    },
  });

  app.route({
    method: 'POST',
    url: '/v1/insurance/quote-requests/:id/quotes',
    config: { roles: ['insurer'] },
    schema: {
      summary: 'A provider invited to quote by API answers, before the request’s deadline',
      tags,
      params: ZIdParams,
      body: ZQuoteInput,
      response: { 201: ZQuote },
    },
    handler: async (request, reply) => {
      const quote = await ctx.db
        .transaction()
        .execute((tx) => submitQuote(tx, ctx, request.principal, request.params.id, request.body));
      return reply.status(201).send(await renderQuote(ctx.db, quote));
    },
  });

  app.route({
    method: 'POST',
    url: '/v1/insurance/quotes/:id/bind',
    config: { roles: ['seller'] },
    schema: {
      summary: 'The seller chooses a quote; the provider then confirms the policy',
      tags,
      params: ZIdParams,
      response: { 200: ZQuote },
    },
    handler: async (request) => {
      const quote = await ctx.db
        .transaction()
        .execute((tx) => bindQuote(tx, ctx, request.principal, request.params.id));
      return await renderQuote(ctx.db, quote);
    },
  });

  app.route({
    method: 'POST',
    url: '/v1/insurance/quotes/:id/binding',
    config: { roles: ['insurer'] },
    schema: {
      summary: 'The provider confirms the bind (the policy goes on file, verified) or refuses it',
      tags,
      params: ZIdParams,
      body: ZBindingAnswer,
      response: { 200: ZQuote },
    },
    handler: async (request) => {
      const quote = await ctx.db
        .transaction()
        .execute((tx) => answerBinding(tx, ctx, request.principal, request.params.id, request.body));
      return await renderQuote(ctx.db, quote);
    },
  });
}
