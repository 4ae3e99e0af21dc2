import { CLAIM_EXAMPLE } from '../../claims/examples.ts';
import { renderClaim, ZClaimParams, ZIdempotencyHeaders } from '../../claims/http/claims-routes.ts';
import { ZClaim } from '../../claims/views.ts';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-types.ts';
import { idempotentRequest } from '../../platform/http/idempotent-request.ts';
import { confirmPayment, ZPaymentConfirmation } from '../confirm-payment.ts';

/** The payment confirmation of a claim a seller or insurer accepted to pay itself. */
export function registerPaymentConfirmationRoutes(app: App, ctx: AppContext): void {
  app.route({
    method: 'POST',
    url: '/v1/claims/:id/payment-confirmation',
    config: { roles: ['seller', 'insurer'] },
    schema: {
      summary: 'The seller or insurer that accepted a claim confirms it paid the customer',
      description:
        'After the seller (or its insurer) accepted to pay a claim, it is `approved` with `payer` seller or ' +
        'insurer; the payer confirms here that it paid the customer, with its own reference, before the ' +
        'payment deadline (after it the marketplace steps in and pays). Nothing is booked in the ' +
        "marketplace's ledger (the money did not pass through it); the payment is recorded as the claim's one " +
        'payout and the claim becomes `paid`. Callers: the seller or insurer that is the payer. Errors: 404 ' +
        "when the claim is not the caller's, 403 when the other party pays it, 409 `invalid_transition` when " +
        'the claim is not approved with a seller or insurer payer, 400 for a bad body. A retry with the same ' +
        '`Idempotency-Key` returns the first answer. Claim ids differ per demo database: find one with ' +
        '`GET /v1/claims?status=approved` as the seller.',
      tags: ['money'],
      params: ZClaimParams,
      headers: ZIdempotencyHeaders,
      body: ZPaymentConfirmation,
      response: { 200: ZClaim.meta({ example: { ...CLAIM_EXAMPLE, status: 'paid', payer: 'seller' } }) },
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
}
