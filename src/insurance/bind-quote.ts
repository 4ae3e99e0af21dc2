import { z } from 'zod';
import { ZIsoDateTime } from '../marketplace/schemas.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError, notFound, unprocessable } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { emitInsuranceEvent } from './events.ts';
import { reviewSellerInsurance } from './review-insurance.ts';
import { lockQuote, lockQuoteRequest, type QuoteRow } from './store.ts';
import { scheduleExpiry } from './verify-policy.ts';

const YEAR_MS = 365 * 86_400_000;

async function lockQuoteAndRequest(tx: Tx, quoteId: string) {
  const quote = await lockQuote(tx, quoteId);
  const request = quote ? await lockQuoteRequest(tx, quote.request_id) : undefined;
  if (!quote || !request) throw notFound('quote', quoteId);
  return { quote, request };
}

/**
 * The seller chooses a quote. The provider must still confirm: the policy goes on file as
 * verified only then, since the provider, not the platform, issues it. One quote of a request
 * may wait for confirmation at a time.
 */
export async function bindQuote(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  quoteId: string,
): Promise<QuoteRow> {
  const { quote, request } = await lockQuoteAndRequest(tx, quoteId);
  if (principal.role !== 'seller' || request.seller_id !== principal.partyId)
    throw notFound('quote', quoteId);
  if (request.status !== 'open')
    throw new AppError('conflict', `quote request ${request.id} is already bound`);
  if (quote.status !== 'offered') throw new AppError('conflict', `quote ${quoteId} is ${quote.status}`);
  if (ctx.clock.now() > quote.valid_until)
    throw new AppError('conflict', `quote ${quoteId} expired at ${quote.valid_until.toISOString()}`);
  const pending = await tx
    .selectFrom('insurance_quotes')
    .select('id')
    .where('request_id', '=', request.id)
    .where('status', '=', 'bind_requested')
    .executeTakeFirst();
  if (pending)
    throw new AppError('conflict', `quote ${pending.id} already waits for its provider to confirm`);
  const bound = await tx
    .updateTable('insurance_quotes')
    .set({ status: 'bind_requested' })
    .where('id', '=', quoteId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await emitInsuranceEvent(tx, ctx.clock, {
    type: 'insurance.bind_requested',
    marketplaceId: request.marketplace_id,
    subjectId: quoteId,
    sellerId: request.seller_id,
    insurerId: quote.insurer_id,
    data: { requestId: request.id, premium: quote.premium },
  });
  return bound;
}

export const ZBindingAnswer = z
  .discriminatedUnion('action', [
    z.object({
      action: z.literal('confirm'),
      policyNumber: z.string().trim().min(1).max(100),
      effectiveFrom: ZIsoDateTime.optional().describe('Defaults to now; cover runs one year'),
    }),
    z.object({ action: z.literal('refuse'), reason: z.string().trim().min(10).max(2000) }),
  ])
  .meta({ example: { action: 'confirm', policyNumber: 'NW-PL-2026-000981' } });

/**
 * The provider confirms the bind (the policy goes on file, verified by its insurer, with the
 * marketplace named as additional insured, as network policies are written) or refuses it.
 */
export async function answerBinding(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  quoteId: string,
  answer: z.infer<typeof ZBindingAnswer>,
): Promise<QuoteRow> {
  const { quote, request } = await lockQuoteAndRequest(tx, quoteId);
  if (principal.role !== 'insurer' || quote.insurer_id !== principal.partyId)
    throw notFound('quote', quoteId);
  if (quote.status !== 'bind_requested')
    throw new AppError(
      'conflict',
      `quote ${quoteId} is ${quote.status}: the seller has not asked to bind it`,
    );
  const now = ctx.clock.now();
  const event = {
    marketplaceId: request.marketplace_id,
    subjectId: quoteId,
    sellerId: request.seller_id,
    insurerId: quote.insurer_id,
  };
  if (answer.action === 'refuse') {
    await emitInsuranceEvent(tx, ctx.clock, {
      ...event,
      type: 'insurance.bind_refused',
      data: { reason: answer.reason },
    });
    return tx
      .updateTable('insurance_quotes')
      .set({ status: 'bind_refused' })
      .where('id', '=', quoteId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  const effectiveFrom = answer.effectiveFrom ? new Date(answer.effectiveFrom) : now;
  if (effectiveFrom < quote.created_at)
    throw unprocessable('body.effectiveFrom', 'cover cannot start before the quote was made');
  const policy = await tx
    .insertInto('insurance_policies')
    .values({
      id: newId('insurancePolicy', ctx.clock),
      seller_id: request.seller_id,
      insurer_id: quote.insurer_id,
      policy_number: answer.policyNumber,
      per_occurrence: quote.per_occurrence,
      aggregate: quote.aggregate,
      deductible: quote.deductible,
      currency: quote.currency,
      additional_insured: true,
      effective_from: effectiveFrom,
      expires_at: new Date(effectiveFrom.getTime() + YEAR_MS),
      status: 'verified',
      certificate: null,
      rejection_reason: null,
      verified_at: now,
      verified_by: 'insurer',
      source: 'network',
      quote_id: quoteId,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['insurer_id', 'policy_number', 'seller_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!policy)
    throw new AppError('conflict', `policy ${answer.policyNumber} is already on file for this seller`);
  await tx
    .updateTable('insurance_quotes')
    .set({ status: 'not_taken' })
    .where('request_id', '=', request.id)
    .where('id', '!=', quoteId)
    .where('status', '=', 'offered')
    .execute();
  await tx.updateTable('quote_requests').set({ status: 'bound' }).where('id', '=', request.id).execute();
  await scheduleExpiry(tx, ctx, policy, request.marketplace_id);
  await emitInsuranceEvent(tx, ctx.clock, {
    ...event,
    type: 'insurance.bound',
    data: { policyId: policy.id },
  });
  await reviewSellerInsurance(tx, ctx, request.seller_id);
  return tx
    .updateTable('insurance_quotes')
    .set({ status: 'bound', policy_id: policy.id })
    .where('id', '=', quoteId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
