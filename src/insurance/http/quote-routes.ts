import { z } from 'zod';
import type { Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/sql.ts';
import { notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { ZPageQuery } from '../../platform/http/paging.ts';
import { answerBinding, bindQuote, ZBindingAnswer } from '../bind-quote.ts';
import { QUOTE_EXAMPLE, QUOTE_REQUEST_EXAMPLE } from '../examples.ts';
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
const ZRequestParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .describe('The quote request id (qrq_…); GET /v1/insurance/quote-requests lists them')
    .meta({ example: QUOTE_REQUEST_EXAMPLE.id }),
});
const ZQuoteParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .describe('The quote id (qte_…), from its request’s quotes')
    .meta({ example: QUOTE_EXAMPLE.id }),
});

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
        '`respondBy`. Providers whose appetite excludes the seller are listed in `declinedBy` with their ' +
        "rules. The seller's sales, claims history and compliance are read from the marketplace, not " +
        'typed in. Caller: the seller itself. Errors: 400 for a bad body, 422 when a limit or currency ' +
        'does not fit the marketplace.',
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
      description:
        'A seller sees its own requests, a provider the requests it was invited to or quoted on, staff ' +
        'every one; each with its quotes side by side, cheapest first.',
      tags,
      querystring: ZPageQuery,
      response: {
        200: z
          .object({ data: z.array(ZQuoteRequest), nextCursor: z.string().nullable() })
          .meta({ example: { data: [QUOTE_REQUEST_EXAMPLE], nextCursor: null } }),
      },
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
      description:
        'The quotes side by side, cheapest first, the providers still expected to answer and those that ' +
        'declined with their rules. Callers: the seller that asked, a provider invited to it, staff. ' +
        "Errors: 404 when it does not exist or is not the caller's.",
      tags,
      params: ZRequestParams,
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
      description:
        'For providers that quote by API: the premium, deductible, exclusions and how long the quote ' +
        "holds; limits are the request's. Caller: an invited insurer, before `respondBy`. Errors: 404 " +
        'when not invited, 409 when the request is closed or the provider already quoted, 422 past the ' +
        "deadline or when the currency is not the request's.",
      tags,
      params: ZRequestParams,
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
      description:
        'The quote becomes `bind_requested` and the provider is asked to confirm; the other quotes of ' +
        "the request are `not_taken`. Caller: the seller that asked for it. Errors: 404 not the caller's " +
        'quote, 409 when it is no longer offered, 422 once it expired.',
      tags,
      params: ZQuoteParams,
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
      description:
        "`confirm` puts the policy on file, already verified, with the provider's policy number; " +
        '`refuse` needs a reason the seller is shown. Caller: the insurer that quoted. Errors: 404 not ' +
        "the caller's quote, 409 when no bind was asked for, 400 for a bad body.",
      tags,
      params: ZQuoteParams,
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
