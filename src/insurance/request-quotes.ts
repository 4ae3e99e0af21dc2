import { sql } from 'kysely';
import { z } from 'zod';
import { businessDeadline } from '../marketplace/business-days.ts';
import { currentPolicyVersion, findMarketplace, findSeller } from '../marketplace/store.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import { json, type Tx } from '../platform/db/sql.ts';
import { AppError, forbidden, notFound, unprocessable } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { ZMoney } from '../platform/money.ts';
import { type Appetite, appetiteExclusions, type QuoteAsk, ratePremium, ZAppetite } from './appetite.ts';
import type { InsuranceStatus } from './compliance.ts';
import { emitInsuranceEvent } from './events.ts';
import { lockQuoteRequest, type QuoteRequestRow, type QuoteRow } from './store.ts';

const DAY_MS = 86_400_000;
const HISTORY_YEARS = 3;

export const ZQuoteRequestInput = z
  .object({
    sales: z
      .array(z.object({ category: z.string().trim().min(1).max(100), annualSales: ZMoney }))
      .min(1)
      .max(20)
      .describe('Annual gross sales per product category'),
    perOccurrence: ZMoney.describe('Per-occurrence limit wanted'),
    aggregate: ZMoney.describe('Aggregate limit wanted'),
  })
  .meta({
    example: {
      sales: [
        { category: 'kitchen_appliances', annualSales: { value: 40_000_000, currency: 'USD' } },
        { category: 'heating', annualSales: { value: 10_000_000, currency: 'USD' } },
      ],
      perOccurrence: { value: 100_000_000, currency: 'USD' },
      aggregate: { value: 200_000_000, currency: 'USD' },
    },
  });

/** Claims approved against the seller in the last three years: what insurers price on. */
async function claimsHistory(tx: Tx, sellerId: string, now: Date) {
  const since = new Date(now.getTime() - HISTORY_YEARS * 365 * DAY_MS);
  const row = await sql<{ claims: number; paid: number }>`
    select count(*)::int as claims, coalesce(sum(approved_amount), 0)::bigint as paid
    from claims
    where seller_id = ${sellerId} and filed_at >= ${since}
      and approved_amount is not null and status in ('approved', 'paid', 'closed')
  `.execute(tx);
  return {
    claims: Number(row.rows[0]?.claims ?? 0),
    paidAmount: Number(row.rows[0]?.paid ?? 0),
    years: HISTORY_YEARS,
  };
}

/**
 * A seller asks the network for quotes. The platform fills in its claims history and standing;
 * every vetted provider whose appetite fits either quotes at once from its rating table or is
 * invited to quote by API before the deadline; those whose appetite excludes the seller are
 * listed with the rules that did, so a seller who qualifies nowhere knows why.
 */
export async function requestQuotes(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  input: z.infer<typeof ZQuoteRequestInput>,
): Promise<QuoteRequestRow> {
  if (principal.role !== 'seller' || !principal.partyId) throw forbidden('a seller asks for its own quotes');
  const seller = await findSeller(tx, principal.partyId);
  if (!seller) throw notFound('seller', principal.partyId);
  const marketplace = await findMarketplace(tx, seller.marketplace_id);
  const version = await currentPolicyVersion(tx, seller.marketplace_id);
  if (!marketplace || !version) throw new Error(`seller ${seller.id} has no marketplace`);
  const currency = marketplace.currency;
  const amounts: [string, { currency: string }][] = [
    ['body.perOccurrence', input.perOccurrence],
    ['body.aggregate', input.aggregate],
    ...input.sales.map((s, i): [string, { currency: string }] => [
      `body.sales.${i}.annualSales`,
      s.annualSales,
    ]),
  ];
  for (const [field, amount] of amounts) {
    if (amount.currency !== currency)
      throw unprocessable(`${field}.currency`, `must be the marketplace's currency, ${currency}`);
  }
  if (input.aggregate.value < input.perOccurrence.value)
    throw unprocessable('body.aggregate.value', 'must not be below the per-occurrence limit');
  const now = ctx.clock.now();
  const history = await claimsHistory(tx, seller.id, now);
  const ask: QuoteAsk = {
    currency,
    sales: input.sales.map((s) => ({ category: s.category, annualSales: s.annualSales.value })),
    perOccurrence: input.perOccurrence.value,
    aggregate: input.aggregate.value,
    claimsInHistory: history.claims,
    compliance: seller.insurance_status as InsuranceStatus,
  };
  const providers = await tx
    .selectFrom('insurers')
    .selectAll()
    .where('network_status', '=', 'vetted')
    .where('appetite', 'is not', null)
    .orderBy('id')
    .execute();
  const requestId = newId('quoteRequest', ctx.clock);
  const declinedBy: QuoteRequestRow['declined_by'] = [];
  const invited: string[] = [];
  const offers: { insurerId: string; appetite: Appetite }[] = [];
  for (const provider of providers) {
    const appetite = ZAppetite.parse(provider.appetite);
    const rules = appetiteExclusions(appetite, ask);
    if (rules.length > 0) declinedBy.push({ insurerId: provider.id, name: provider.name, rules });
    else if (appetite.quoteBy === 'api') invited.push(provider.id);
    else offers.push({ insurerId: provider.id, appetite });
  }
  const respondBy = businessDeadline(now, version.policy.insurance.quoteResponseBusinessDays, {
    holidayCalendar: marketplace.holiday_calendar,
    timeZone: marketplace.time_zone,
  });
  const request = await tx
    .insertInto('quote_requests')
    .values({
      id: requestId,
      marketplace_id: seller.marketplace_id,
      seller_id: seller.id,
      currency,
      sales: json(ask.sales),
      desired_per_occurrence: ask.perOccurrence,
      desired_aggregate: ask.aggregate,
      claims_history: json(history),
      compliance: ask.compliance,
      declined_by: json(declinedBy),
      invited: json(invited),
      respond_by: respondBy,
      status: 'open',
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const { insurerId, appetite } of offers) {
    const rating = ratePremium(appetite, ask);
    await insertQuote(tx, ctx, request, {
      insurerId,
      source: 'rating_table',
      premium: rating.premium,
      deductible: appetite.deductible,
      exclusions: appetite.policyExclusions,
      rating,
      validDays: appetite.quoteValidDays,
    });
  }
  for (const insurerId of invited) {
    await emitInsuranceEvent(tx, ctx.clock, {
      type: 'insurance.quote_requested',
      marketplaceId: seller.marketplace_id,
      subjectId: requestId,
      sellerId: seller.id,
      insurerId,
      data: { respondBy: respondBy.toISOString(), claimsHistory: history, compliance: ask.compliance },
    });
  }
  return request;
}

async function insertQuote(
  tx: Tx,
  ctx: AppContext,
  request: QuoteRequestRow,
  quote: {
    insurerId: string;
    source: 'rating_table' | 'api';
    premium: number;
    deductible: number;
    exclusions: string[];
    rating: unknown;
    validDays: number;
  },
): Promise<QuoteRow> {
  const now = ctx.clock.now();
  const row = await tx
    .insertInto('insurance_quotes')
    .values({
      id: newId('quote', ctx.clock),
      request_id: request.id,
      insurer_id: quote.insurerId,
      source: quote.source,
      premium: quote.premium,
      currency: request.currency,
      per_occurrence: request.desired_per_occurrence,
      aggregate: request.desired_aggregate,
      deductible: quote.deductible,
      exclusions: json(quote.exclusions),
      rating: quote.rating === null ? null : json(quote.rating),
      valid_until: new Date(now.getTime() + quote.validDays * DAY_MS),
      status: 'offered',
      policy_id: null,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['request_id', 'insurer_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AppError('conflict', `${quote.insurerId} already quoted on ${request.id}`);
  await emitInsuranceEvent(tx, ctx.clock, {
    type: 'insurance.quote_offered',
    marketplaceId: request.marketplace_id,
    subjectId: row.id,
    sellerId: request.seller_id,
    insurerId: quote.insurerId,
    data: { requestId: request.id, premium: row.premium },
  });
  return row;
}

export const ZQuoteInput = z
  .object({
    premium: ZMoney.describe('Per year'),
    deductible: ZMoney,
    exclusions: z.array(z.string().trim().min(1).max(300)).max(50).default([]),
    validDays: z.number().int().min(1).max(180).default(30),
  })
  .meta({
    example: {
      premium: { value: 182_000, currency: 'USD' },
      deductible: { value: 250_000, currency: 'USD' },
      exclusions: ['Products under recall at binding'],
      validDays: 30,
    },
  });

/** A provider invited to quote by API answers, before the request's deadline, once. */
export async function submitQuote(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  requestId: string,
  input: z.infer<typeof ZQuoteInput>,
): Promise<QuoteRow> {
  const request = await lockQuoteRequest(tx, requestId);
  const insurerId = principal.partyId ?? '';
  if (!request || principal.role !== 'insurer' || !request.invited.includes(insurerId)) {
    throw notFound('quote request', requestId);
  }
  if (request.status !== 'open' || ctx.clock.now() >= request.respond_by) {
    throw new AppError(
      'conflict',
      `quote request ${requestId} closed for quotes at ${request.respond_by.toISOString()}`,
    );
  }
  for (const field of ['premium', 'deductible'] as const) {
    if (input[field].currency !== request.currency)
      throw unprocessable(`body.${field}.currency`, `must be the request's currency, ${request.currency}`);
  }
  if (input.premium.value <= 0) throw unprocessable('body.premium.value', 'must be more than zero');
  return insertQuote(tx, ctx, request, {
    insurerId,
    source: 'api',
    premium: input.premium.value,
    deductible: input.deductible.value,
    exclusions: input.exclusions,
    rating: null,
    validDays: input.validDays,
  });
}
