import { z } from 'zod';
import { CLAIM_EXAMPLE } from '../../claims/examples.ts';
import { ZClaimParams } from '../../claims/http/claims-routes.ts';
import { findClaim } from '../../claims/store.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { ZMoney } from '../../platform/money.ts';
import { canReadAccount } from '../account-access.ts';
import { ACCOUNT_KINDS } from '../accounts.ts';
import { accountEntries, claimEntries, findAccount } from '../ledger-store.ts';

const usd = (value: number) => ({ value, currency: 'USD' });

const ACCOUNT_EXAMPLE = {
  id: 'seller_receivable:demo-us:slr-acme',
  marketplaceId: 'demo-us',
  kind: 'seller_receivable' as const,
  partyId: 'slr-acme',
  balance: usd(100000),
  entries: [
    {
      entryId: 'jnl_01m8mde2p1kh4908cmvand5572',
      kind: 'recovery_opened',
      memo: 'seller owes the marketplace the claim it paid',
      claimId: CLAIM_EXAMPLE.id,
      at: '2026-11-29T15:00:00.000Z',
      amount: usd(120000),
    },
  ],
  nextCursor: null,
};

const ZAccount = z
  .object({
    id: z.string().describe('kind:marketplace[:party]'),
    marketplaceId: z.string(),
    kind: z
      .enum(ACCOUNT_KINDS)
      .describe('What the account holds, e.g. seller_receivable: what a seller owes'),
    partyId: z
      .string()
      .nullable()
      .describe('The customer, seller or insurer; null for the marketplace’s own'),
    balance: ZMoney.describe('Signed: debits positive, credits negative'),
    entries: z.array(
      z.object({
        entryId: z.string().describe('The journal entry (jnl_…)'),
        kind: z.string().describe('What was booked, e.g. payout_settled, recovery_opened'),
        memo: z.string().nullable(),
        claimId: z.string().nullable().describe('The claim it was booked for, if any'),
        at: z.string(),
        amount: ZMoney.describe('This account’s side: debits positive, credits negative'),
      }),
    ),
    nextCursor: z.string().nullable().describe('Pass as cursor for older entries; null on the last page'),
  })
  .meta({ id: 'LedgerAccount', example: ACCOUNT_EXAMPLE });

const ZClaimLedger = z
  .object({
    data: z.array(
      z.object({
        id: z.string().describe('The journal entry (jnl_…)'),
        kind: z.string().describe('What was booked, e.g. claim_accrued, payout_settled'),
        memo: z.string().nullable(),
        at: z.string(),
        lines: z.array(
          z.object({
            accountId: z.string().describe('kind:marketplace[:party]'),
            amount: ZMoney.describe('Signed: debits positive; the lines of an entry sum to zero'),
          }),
        ),
      }),
    ),
  })
  .meta({
    example: {
      data: [
        {
          id: 'jnl_01m8mde2p1kh4908cmvand5573',
          kind: 'claim_accrued',
          memo: 'marketplace owes the customer an approved claim',
          at: '2026-11-29T15:00:00.000Z',
          lines: [
            { accountId: 'guarantee_fund:demo-us', amount: usd(18000) },
            { accountId: 'customer_payable:demo-us:cus-dana', amount: usd(-18000) },
          ],
        },
      ],
    },
  });

/** The double-entry books: a claim's journal entries and one account's balance and entries. */
export function registerLedgerAccountRoutes(app: App, ctx: AppContext): void {
  app.route({
    method: 'GET',
    url: '/v1/claims/:id/ledger',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'The journal entries booked for a claim, oldest first: its cost, payout, recovery',
      description:
        'Every journal entry whose claim is this one, each with its lines (account and signed amount; the lines ' +
        'of an entry sum to zero). Staff only (admin, agent). Errors: 404 when there is no such claim. Claim ' +
        'ids differ per demo database: list them with `GET /v1/claims?status=paid`.',
      tags: ['money'],
      params: ZClaimParams,
      response: { 200: ZClaimLedger },
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
      description:
        'Ids read `kind:marketplace[:party]`, e.g. `seller_receivable:demo-us:slr-acme` (what Acme owes the ' +
        'demo marketplace). Staff read every account; a customer its `customer_payable`, a seller its ' +
        '`seller_receivable` and `seller_disbursement`, an insurer its `insurer_receivable`. Errors: 404 for ' +
        'an account that does not exist or that the caller may not read (the two are not told apart).',
      tags: ['money'],
      params: z.object({
        id: z
          .string()
          .min(1)
          .max(300)
          .describe('kind:marketplace[:party]')
          .meta({ example: 'seller_receivable:demo-us:slr-acme' }),
      }),
      querystring: z.object({
        cursor: z.string().max(64).optional().describe('The nextCursor of the previous page'),
        limit: z.coerce.number().int().min(1).max(500).default(100).describe('How many entries, 1 to 500'),
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
}
