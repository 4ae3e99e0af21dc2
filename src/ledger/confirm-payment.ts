import { z } from 'zod';
import { requireClaimAccess } from '../claims/access.ts';
import { moveClaim } from '../claims/history.ts';
import { type ClaimRow, lockClaim } from '../claims/store.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError, forbidden } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';

export const ZPaymentConfirmation = z
  .object({
    reference: z.string().trim().min(3).max(200).describe("The payer's own reference for the payment"),
  })
  .meta({ example: { reference: 'ACH-2026-11-18-000123' } });

/**
 * The seller or its insurer, having accepted, says it paid the customer. The money did not
 * pass through the marketplace, so nothing is booked in its ledger; the payment is recorded
 * as the claim's one payout all the same, so no one can also be paid for it by the marketplace.
 */
export async function confirmPayment(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  confirmation: z.infer<typeof ZPaymentConfirmation>,
): Promise<ClaimRow> {
  const claim = requireClaimAccess(principal, await lockClaim(tx, claimId), claimId);
  const payerRole = claim.payer === 'seller' ? 'seller' : claim.payer === 'insurer' ? 'insurer' : null;
  if (claim.status !== 'approved' || !payerRole) {
    throw new AppError(
      'invalid_transition',
      `claim ${claimId} is ${claim.status} with payer ${claim.payer}: no payment to confirm`,
      {
        extra: { currentStatus: claim.status },
      },
    );
  }
  if (principal.role !== payerRole)
    throw forbidden(`the ${payerRole} pays this claim, not the ${principal.role}`);
  return recordPaymentByPayer(tx, ctx, claim, {
    payer: payerRole,
    reference: confirmation.reference,
    actor: principal,
  });
}

/**
 * The payment the seller or its insurer made to the customer, recorded as the claim's one
 * payout (unique per claim: nobody can also be paid for it by the marketplace); the claim is
 * then paid and closed.
 */
export async function recordPaymentByPayer(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  payment: { payer: 'seller' | 'insurer'; reference: string; actor: Principal },
): Promise<ClaimRow> {
  const now = ctx.clock.now();
  const amount = claim.approved_amount ?? claim.amount;
  const payoutId = newId('payout', ctx.clock);
  const inserted = await tx
    .insertInto('payouts')
    .values({
      id: payoutId,
      claim_id: claim.id,
      marketplace_id: claim.marketplace_id,
      customer_id: claim.customer_id,
      payer: payment.payer,
      amount,
      currency: claim.currency,
      provider: payment.payer,
      status: 'settled',
      next_attempt_at: null,
      lease_until: null,
      provider_reference: payment.reference,
      last_error: null,
      created_at: now,
      settled_at: now,
    })
    .onConflict((oc) => oc.column('claim_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) throw new AppError('conflict', `claim ${claim.id} already has a payment`);
  const paid = await moveClaim(tx, ctx.clock, claim, 'paid', {
    type: 'claim.paid',
    actor: payment.actor,
    reason: `${payment.payer}_confirmed`,
    data: { payoutId, reference: payment.reference, amount, payer: payment.payer },
  });
  return moveClaim(tx, ctx.clock, paid, 'closed', {
    type: 'claim.closed',
    actor: payment.actor,
    reason: `paid_by_${payment.payer}`,
  });
}
