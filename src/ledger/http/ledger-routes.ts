import { z } from 'zod';
import { renderClaim, ZClaimParams, ZIdempotencyHeaders } from '../../claims/http/claims-routes.ts';
import { findClaim } from '../../claims/store.ts';
import { ZClaim } from '../../claims/views.ts';
import { ZExternalId, ZIsoDateTime } from '../../marketplace/schemas.ts';
import { findSeller } from '../../marketplace/store.ts';
import { isStaff, type Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { fetchPage } from '../../platform/db/paging.ts';
import { forbidden, notFound, unprocessable } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { idempotentRequest } from '../../platform/http/idempotent-request.ts';
import { ZMoney } from '../../platform/money.ts';
import { ACCOUNT_KINDS, type AccountKind } from '../accounts.ts';
import { confirmPayment, ZPaymentConfirmation } from '../confirm-payment.ts';
import { accountEntries, claimEntries, findAccount, post } from '../ledger-store.ts';
import { sellerProceeds } from '../postings.ts';
import { type RecoveryRow, recordRecoveryPayment, writeOffRecovery } from '../recoveries.ts';
import { summaryReport, trendsReport } from '../reports.ts';

const ZAccount = z
  .object({
    id: z.string(),
    marketplaceId: z.string(),
    kind: z.enum(ACCOUNT_KINDS),
    partyId: z.string().nullable(),
    balance: ZMoney.describe('Signed: debits positive, credits negative'),
    entries: z.array(
      z.object({
        entryId: z.string(),
        kind: z.string(),
        memo: z.string().nullable(),
        claimId: z.string().nullable(),
        at: z.string(),
        amount: ZMoney,
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'LedgerAccount' });

const ZRecovery = z
  .object({
    id: z.string(),
    claimId: z.string(),
    debtor: z
      .enum(['seller', 'customer'])
      .describe('Who owes it: the seller, or the claimant when a claim was flagged after its payout left'),
    sellerId: z.string().nullable(),
    customerId: z.string().nullable(),
    insurerId: z.string().nullable(),
    status: z.enum([
      'waived',
      'pending',
      'offset',
      'invoiced',
      'tendered_to_insurer',
      'recovered',
      'written_off',
    ]),
    amount: ZMoney,
    offset: ZMoney,
    recovered: ZMoney,
    writtenOff: ZMoney,
    outstanding: ZMoney,
    waiverReason: z.string().nullable(),
    writtenOffReason: z.string().nullable(),
    dueAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Recovery' });

function toRecoveryView(r: RecoveryRow): z.infer<typeof ZRecovery> {
  const m = (value: number) => ({ value, currency: r.currency });
  const open = ['pending', 'invoiced', 'tendered_to_insurer'].includes(r.status);
  return {
    id: r.id,
    claimId: r.claim_id,
    debtor: r.debtor,
    sellerId: r.seller_id,
    customerId: r.customer_id,
    insurerId: r.insurer_id,
    status: r.status as z.infer<typeof ZRecovery>['status'],
    amount: m(r.amount),
    offset: m(r.offset_amount),
    recovered: m(r.recovered_amount),
    writtenOff: m(r.written_off_amount),
    outstanding: m(open ? r.amount - r.offset_amount - r.recovered_amount - r.written_off_amount : 0),
    waiverReason: r.waiver_reason,
    writtenOffReason: r.written_off_reason,
    dueAt: r.due_at?.toISOString() ?? null,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** A seller or insurer may read only what concerns it; staff read everything. */
function requireOwnRecovery(principal: Principal, r: RecoveryRow | undefined, id: string): RecoveryRow {
  const staff = principal.role === 'admin' || principal.role === 'agent';
  const own =
    (principal.role === 'seller' && r?.seller_id === principal.partyId) ||
    (principal.role === 'insurer' && r?.insurer_id === principal.partyId);
  if (!r || !(staff || own)) throw notFound('recovery', id);
  return r;
}

/**
 * Which account kinds each party holds. The party id alone is not enough: a customer and a
 * seller may carry the same id (ids come from the marketplace's own systems), and a customer
 * must never read a seller's books.
 */
const PARTY_ACCOUNT_KINDS: Partial<Record<Principal['role'], readonly AccountKind[]>> = {
  customer: ['customer_payable'],
  seller: ['seller_receivable', 'seller_disbursement'],
  insurer: ['insurer_receivable'],
};

function canReadAccount(principal: Principal, account: { kind: string; party_id: string | null }): boolean {
  if (isStaff(principal)) return true;
  const kinds: readonly string[] = PARTY_ACCOUNT_KINDS[principal.role] ?? [];
  return account.party_id !== null && account.party_id === principal.partyId && kinds.includes(account.kind);
}

/** The period of a report: [from, to), optionally one marketplace. */
const ZReportRange = z
  .object({ from: ZIsoDateTime, to: ZIsoDateTime, marketplaceId: ZExternalId.optional() })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
    path: ['from'],
  });

export function registerLedgerRoutes(app: App, ctx: AppContext): void {
  app.route({
    method: 'POST',
    url: '/v1/claims/:id/payment-confirmation',
    config: { roles: ['seller', 'insurer'] },
    schema: {
      summary: 'The seller or insurer that accepted a claim confirms it paid the customer',
      tags: ['money'],
      params: ZClaimParams,
      headers: ZIdempotencyHeaders,
      body: ZPaymentConfirmation,
      response: { 200: ZClaim },
    },
    handler: async (request) => {
      const result = await idempotentRequest(
        ctx,
        request,
        `claims.confirm-payment:${request.params.id}`,
        async (tx) => ({
          status: 200,
          body: await renderClaim(
            tx,
            await confirmPayment(tx, ctx, request.principal, request.params.id, request.body),
            request.principal,
          ),
        }),
      );
      return result.body;
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/claims/:id/ledger',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'The journal entries booked for a claim, oldest first: its cost, payout, recovery',
      tags: ['money'],
      params: ZClaimParams,
      response: {
        200: z.object({
          data: z.array(
            z.object({
              id: z.string(),
              kind: z.string(),
              memo: z.string().nullable(),
              at: z.string(),
              lines: z.array(
                z.object({ accountId: z.string(), amount: ZMoney.describe('Signed: debits positive') }),
              ),
            }),
          ),
        }),
      },
    },
    handler: async (request) => {
      if (!(await findClaim(ctx.db, request.params.id))) throw notFound('claim', request.params.id);
      return { data: await claimEntries(ctx.db, request.params.id) };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/ledger/accounts/:id',
    config: { roles: ['admin', 'agent', 'seller', 'insurer', 'customer'] },
    schema: {
      summary: 'A ledger account with its balance and entries, newest first',
      description: 'Ids read `kind:marketplace[:party]`, e.g. `seller_receivable:mkt_us:slr_acme`.',
      tags: ['money'],
      params: z.object({ id: z.string().min(1).max(300) }),
      querystring: z.object({
        cursor: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: { 200: ZAccount },
    },
    handler: async (request) => {
      const account = await findAccount(ctx.db, request.params.id);
      if (!account || !canReadAccount(request.principal, account))
        throw notFound('ledger account', request.params.id);
      const rows = await accountEntries(ctx.db, account.id, {
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
        limit: request.query.limit + 1,
      });
      const page = rows.slice(0, request.query.limit);
      return {
        id: account.id,
        marketplaceId: account.marketplace_id,
        kind: account.kind as (typeof ACCOUNT_KINDS)[number],
        partyId: account.party_id,
        balance: { value: account.balance, currency: account.currency },
        entries: page.map((e) => ({
          entryId: e.id,
          kind: e.kind,
          memo: e.memo,
          claimId: e.claim_id,
          at: e.created_at.toISOString(),
          amount: { value: e.amount, currency: e.currency },
        })),
        nextCursor: rows.length > request.query.limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  });

  app.route({
    method: 'POST',
    url: '/v1/sellers/:id/proceeds',
    config: { roles: ['admin'] },
    schema: {
      summary: "Record a seller's sales proceeds held by the marketplace (what recovery can offset against)",
      tags: ['money'],
      params: z.object({ id: ZExternalId }),
      headers: ZIdempotencyHeaders,
      body: z.object({ amount: ZMoney }).meta({ example: { amount: { value: 250000, currency: 'USD' } } }),
      response: { 201: z.object({ entryId: z.string() }) },
    },
    handler: async (request, reply) => {
      const result = await idempotentRequest(
        ctx,
        request,
        `sellers.proceeds:${request.params.id}`,
        async (tx) => {
          const seller = await findSeller(tx, request.params.id);
          if (!seller) throw notFound('seller', request.params.id);
          const marketplace = await tx
            .selectFrom('marketplaces')
            .select('currency')
            .where('id', '=', seller.marketplace_id)
            .executeTakeFirstOrThrow();
          if (request.body.amount.currency !== marketplace.currency) {
            throw unprocessable(
              'body.amount.currency',
              `must be the marketplace's currency, ${marketplace.currency}`,
            );
          }
          if (request.body.amount.value <= 0) throw unprocessable('body.amount.value', 'must be more than 0');
          const entryId = await post(tx, ctx.clock, {
            marketplaceId: seller.marketplace_id,
            currency: marketplace.currency,
            claimId: null,
            posting: sellerProceeds(seller.id, request.body.amount.value),
          });
          return { status: 201, body: { entryId } };
        },
      );
      return reply.status(201).send(result.body);
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/recoveries',
    config: { roles: ['admin', 'agent', 'seller', 'insurer'] },
    schema: {
      summary: 'Recovery cases, newest first; a seller or insurer sees its own',
      tags: ['money'],
      querystring: z.object({
        sellerId: ZExternalId.optional(),
        status: ZRecovery.shape.status.optional(),
        cursor: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: { 200: z.object({ data: z.array(ZRecovery), nextCursor: z.string().nullable() }) },
    },
    handler: async (request) => {
      const p = request.principal;
      const q = request.query;
      if (p.role === 'seller' && q.sellerId && q.sellerId !== p.partyId)
        throw forbidden('a seller lists only its own recoveries');
      let query = ctx.db.selectFrom('recoveries').selectAll();
      if (p.role === 'seller') query = query.where('seller_id', '=', p.partyId ?? '');
      else if (q.sellerId) query = query.where('seller_id', '=', q.sellerId);
      if (p.role === 'insurer') query = query.where('insurer_id', '=', p.partyId ?? '');
      if (q.status) query = query.where('status', '=', q.status);
      const { page, nextCursor } = await fetchPage(query, q);
      return { data: page.map(toRecoveryView), nextCursor };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/recoveries/:id',
    config: { roles: ['admin', 'agent', 'seller', 'insurer'] },
    schema: {
      summary: 'A recovery case',
      tags: ['money'],
      params: ZClaimParams,
      response: { 200: ZRecovery },
    },
    handler: async (request) => {
      const r = await ctx.db
        .selectFrom('recoveries')
        .selectAll()
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      return toRecoveryView(requireOwnRecovery(request.principal, r, request.params.id));
    },
  });

  app.route({
    method: 'POST',
    url: '/v1/recoveries/:id/payments',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'Record money received from the seller (invoiced) or its insurer (tendered)',
      tags: ['money'],
      params: ZClaimParams,
      headers: ZIdempotencyHeaders,
      body: z
        .object({ amount: ZMoney, reference: z.string().trim().min(3).max(200) })
        .meta({ example: { amount: { value: 120000, currency: 'USD' }, reference: 'WIRE-55120' } }),
      response: { 200: ZRecovery },
    },
    handler: async (request) => {
      const result = await idempotentRequest(
        ctx,
        request,
        `recoveries.payment:${request.params.id}`,
        async (tx) => {
          const existing = await tx
            .selectFrom('recoveries')
            .select('currency')
            .where('id', '=', request.params.id)
            .executeTakeFirst();
          if (existing && existing.currency !== request.body.amount.currency) {
            throw unprocessable('body.amount.currency', `must be ${existing.currency}`);
          }
          if (request.body.amount.value <= 0) throw unprocessable('body.amount.value', 'must be more than 0');
          const updated = await recordRecoveryPayment(tx, ctx, request.principal, request.params.id, {
            amount: request.body.amount.value,
            reference: request.body.reference,
          });
          return { status: 200, body: toRecoveryView(updated) };
        },
      );
      return result.body;
    },
  });

  app.route({
    method: 'POST',
    url: '/v1/recoveries/:id/write-off',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'Write off what is left of a recovery, with a reason',
      tags: ['money'],
      params: ZClaimParams,
      body: z
        .object({ reason: z.string().trim().min(5).max(2000) })
        .meta({ example: { reason: 'Seller insolvent; claim filed with the administrator' } }),
      response: { 200: ZRecovery },
    },
    handler: async (request) =>
      toRecoveryView(
        await ctx.db
          .transaction()
          .execute((tx) =>
            writeOffRecovery(tx, ctx, request.principal, request.params.id, request.body.reason),
          ),
      ),
  });

  app.route({
    method: 'GET',
    url: '/v1/reports/summary',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary:
        'Claims filed in [from, to): by status and type, small-claim share, paid by payer, step-ins, recovery, median time to payout',
      tags: ['reports'],
      querystring: ZReportRange,
      response: {
        200: z.object({
          period: z.object({ from: z.string(), to: z.string() }),
          claims: z.object({
            total: z.number(),
            byStatus: z.record(z.string(), z.number()),
            byType: z.record(z.string(), z.number()),
          }),
          withinSmallClaimLimit: z.object({ count: z.number(), share: z.number().nullable() }),
          paid: z.object({ byPayer: z.record(z.string(), z.number()), currency: z.string().nullable() }),
          stepIns: z.number(),
          recovery: z.object({
            recovered: z.number(),
            offset: z.number(),
            waived: z.number(),
            writtenOff: z.number(),
            outstanding: z.number(),
          }),
          medianHoursToPayout: z.number().nullable(),
        }),
      },
    },
    handler: async (request) =>
      summaryReport(ctx.db, {
        from: new Date(request.query.from),
        to: new Date(request.query.to),
        marketplaceId: request.query.marketplaceId,
      }),
  });

  app.route({
    method: 'GET',
    url: '/v1/reports/trends',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'Claims filed in [from, to) per day by status, and the products claimed about most',
      tags: ['reports'],
      querystring: ZReportRange,
      response: {
        200: z.object({
          byDay: z.array(z.object({ day: z.string(), byStatus: z.record(z.string(), z.number()) })),
          topProducts: z.array(
            z.object({ productId: z.string(), title: z.string().nullable(), claims: z.number() }),
          ),
        }),
      },
    },
    handler: async (request) =>
      trendsReport(ctx.db, {
        from: new Date(request.query.from),
        to: new Date(request.query.to),
        marketplaceId: request.query.marketplaceId,
      }),
  });
}
