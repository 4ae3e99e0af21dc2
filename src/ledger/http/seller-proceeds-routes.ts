import { z } from 'zod';
import { ZIdempotencyHeaders } from '../../claims/http/claims-routes.ts';
import { ZExternalId } from '../../marketplace/schemas.ts';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-types.ts';
import { idempotentRequest } from '../../platform/http/idempotent-request.ts';
import { ZMoney } from '../../platform/money.ts';
import { recordSellerProceeds } from '../record-seller-proceeds.ts';

/** A seller's proceeds held by the marketplace, which recoveries offset against. */
export function registerSellerProceedsRoutes(app: App, ctx: AppContext): void {
  app.route({
    method: 'POST',
    url: '/v1/sellers/:id/proceeds',
    config: { roles: ['admin'] },
    schema: {
      summary: "Record a seller's sales proceeds held by the marketplace (what recovery can offset against)",
      description:
        'Books the amount to the seller’s `seller_disbursement` account: when the marketplace later pays a ' +
        'claim in the seller’s place, the recovery is offset against these proceeds first and only the rest is ' +
        'invoiced. Admin only. Errors: 404 for an unknown seller, 422 when the seller does not sell in the marketplace named, the currency is not the ' +
        'marketplace’s or the amount is not above 0. A retry with the same `Idempotency-Key` books nothing new.',
      tags: ['money'],
      params: z.object({ id: ZExternalId.describe('The seller id').meta({ example: 'slr-acme' }) }),
      headers: ZIdempotencyHeaders,
      body: z
        .object({
          amount: ZMoney.describe('Positive, in the currency of the marketplace that holds the proceeds'),
          marketplaceId: ZExternalId.optional().describe(
            'Which of the seller’s marketplaces holds the proceeds (the ledger account is per marketplace, so per currency); its home marketplace when left out',
          ),
        })
        .meta({
          example: { amount: { value: 250000, currency: 'USD' } },
          examples: [
            { amount: { value: 250000, currency: 'USD' } },
            { amount: { value: 120000, currency: 'EUR' }, marketplaceId: 'demo-de' },
          ],
        }),
      response: {
        201: z
          .object({ entryId: z.string().describe('The journal entry booked (jnl_…)') })
          .meta({ example: { entryId: 'jnl_01m8mde2p1kh4908cmvand5574' } }),
      },
    },
    handler: async (request, reply) => {
      const result = await idempotentRequest(
        ctx,
        request,
        `sellers.proceeds:${request.params.id}`,
        async (tx) => ({
          status: 201,
          body: await recordSellerProceeds(
            tx,
            ctx.clock,
            request.params.id,
            request.body.amount,
            request.body.marketplaceId,
          ),
        }),
      );
      return reply.status(201).send(result.body);
    },
  });
}
