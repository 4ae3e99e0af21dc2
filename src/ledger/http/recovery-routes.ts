import { z } from 'zod';
import { ZIdempotencyHeaders } from '../../claims/http/claims-routes.ts';
import { ZExternalId } from '../../marketplace/schemas.ts';
import type { AppContext } from '../../platform/context.ts';
import { forbidden } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { idempotentRequest } from '../../platform/http/idempotent-request.ts';
import { ZPageQuery } from '../../platform/http/paging.ts';
import { ZMoney } from '../../platform/money.ts';
import { recordRecoveryPayment, writeOffRecovery } from '../recoveries.ts';
import { findRecovery, listRecoveries } from '../recovery-store.ts';
import { RECOVERY_EXAMPLE, requireOwnRecovery, toRecoveryView, ZRecovery } from '../recovery-views.ts';

const ZRecoveryParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .describe('The recovery id (rec_…); in the demo each database has its own, listed by GET /v1/recoveries')
    .meta({ example: RECOVERY_EXAMPLE.id }),
});

/** Recovery cases: what the marketplace seeks back after paying in a seller's (or claimant's) place. */
export function registerRecoveryRoutes(app: App, ctx: AppContext): void {
  const tags = ['money'];

  app.route({
    method: 'GET',
    url: '/v1/recoveries',
    config: { roles: ['admin', 'agent', 'seller', 'insurer'] },
    schema: {
      summary: 'Recovery cases, newest first; a seller or insurer sees its own',
      description:
        'A recovery opens when the marketplace pays a claim in a seller’s place (or a paid claim is flagged and ' +
        'the claimant owes it back). Staff see every case and may filter by seller; a seller sees its own ' +
        '(naming another seller is refused, 403); an insurer sees the cases tendered to it.',
      tags,
      querystring: ZPageQuery.extend({
        sellerId: ZExternalId.optional().describe('Staff: only this seller’s cases'),
        status: ZRecovery.shape.status.optional().describe('Only cases in this state'),
      }),
      response: {
        200: z
          .object({ data: z.array(ZRecovery), nextCursor: z.string().nullable() })
          .meta({ example: { data: [RECOVERY_EXAMPLE], nextCursor: null } }),
      },
    },
    handler: async (request) => {
      const p = request.principal;
      const q = request.query;
      if (p.role === 'seller' && q.sellerId && q.sellerId !== p.partyId)
        throw forbidden('a seller lists only its own recoveries');
      const { page, nextCursor } = await listRecoveries(
        ctx.db,
        {
          sellerId: p.role === 'seller' ? (p.partyId ?? '') : q.sellerId,
          ...(p.role === 'insurer' ? { insurerId: p.partyId ?? '' } : {}),
          status: q.status,
        },
        q,
      );
      return { data: page.map(toRecoveryView), nextCursor };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/recoveries/:id',
    config: { roles: ['admin', 'agent', 'seller', 'insurer'] },
    schema: {
      summary: 'A recovery case',
      description:
        'With what was offset, recovered, written off and what is still outstanding. Staff read every case; a ' +
        'seller or insurer only its own. Errors: 404 for a case that does not exist or is not the caller’s.',
      tags,
      params: ZRecoveryParams,
      response: { 200: ZRecovery },
    },
    handler: async (request) =>
      toRecoveryView(
        requireOwnRecovery(
          request.principal,
          await findRecovery(ctx.db, request.params.id),
          request.params.id,
        ),
      ),
  });

  app.route({
    method: 'POST',
    url: '/v1/recoveries/:id/payments',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'Record money received from the seller (invoiced) or its insurer (tendered)',
      description:
        'On an `invoiced` case: books the payment and, once nothing is outstanding, closes the case as ' +
        '`recovered` (and the claim with it). Staff only. Errors: 404 unknown case; 409 when the case is not ' +
        'invoiced (a tendered case is settled by the insurer answering its tender); 422 when the currency is not ' +
        'the case’s, the amount is not above 0 or is more than is outstanding. A retry with the same ' +
        '`Idempotency-Key` books nothing new.',
      tags,
      params: ZRecoveryParams,
      headers: ZIdempotencyHeaders,
      body: z
        .object({
          amount: ZMoney.describe('Received, in the case’s currency; at most what is outstanding'),
          reference: z.string().trim().min(3).max(200).describe('The bank or payment reference'),
        })
        .meta({ example: { amount: { value: 100000, currency: 'USD' }, reference: 'WIRE-55120' } }),
      response: {
        200: ZRecovery.meta({
          example: {
            ...RECOVERY_EXAMPLE,
            status: 'recovered',
            recovered: { value: 100000, currency: 'USD' },
            outstanding: { value: 0, currency: 'USD' },
          },
        }),
      },
    },
    handler: async (request) => {
      const result = await idempotentRequest(
        ctx,
        request,
        `recoveries.payment:${request.params.id}`,
        async (tx) => ({
          status: 200,
          body: toRecoveryView(
            await recordRecoveryPayment(tx, ctx, request.principal, request.params.id, request.body),
          ),
        }),
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
      description:
        'The guarantee fund bears what is outstanding; an open tender to the insurer is withdrawn; the case ' +
        'becomes `written_off` and its claim is closed. Staff only. Errors: 404 unknown case, 409 when the case ' +
        'is already settled (waived, recovered or written off), 400 when the reason is shorter than 5 characters.',
      tags,
      params: ZRecoveryParams,
      body: z
        .object({ reason: z.string().trim().min(5).max(2000).describe('Why the rest will not be recovered') })
        .meta({ example: { reason: 'Seller insolvent; claim filed with the administrator' } }),
      response: {
        200: ZRecovery.meta({
          example: {
            ...RECOVERY_EXAMPLE,
            status: 'written_off',
            writtenOff: { value: 100000, currency: 'USD' },
            outstanding: { value: 0, currency: 'USD' },
            writtenOffReason: 'Seller insolvent; claim filed with the administrator',
          },
        }),
      },
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
}
