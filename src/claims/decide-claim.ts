import { z } from 'zod';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError, unprocessable } from '../platform/errors.ts';
import { ZMoney } from '../platform/money.ts';
import { labelOutcome } from '../screening/labels.ts';
import { CLAIM_HANDLERS, requireClaimActor } from './access.ts';
import { loadClaimPolicy } from './claim-policy.ts';
import { DECISION_DENIAL_CODES } from './denial-codes.ts';
import { applyRouting, denyClaim } from './outcomes.ts';
import { cancelHold, hasHeldPayout, releaseHold } from './resolve-payout-hold.ts';
import { routeApproval } from './routing.ts';
import { stepIn } from './step-in.ts';
import { type ClaimRow, lockClaim } from './store.ts';

export const ZDecisionRequest = z
  .discriminatedUnion('outcome', [
    z.object({
      outcome: z.literal('approve'),
      reason: z.string().trim().min(3).max(5000).describe('Why the claim is held valid'),
      amount: ZMoney.optional().describe('The amount approved, when less than claimed'),
    }),
    z.object({
      outcome: z.literal('deny'),
      reason: z.enum(DECISION_DENIAL_CODES),
      note: z.string().max(5000).optional(),
    }),
  ])
  .meta({
    example: { outcome: 'approve', reason: 'Photos and the fire report show the charger caused the damage' },
  });

export type DecisionRequest = z.infer<typeof ZDecisionRequest>;

/**
 * An agent decides a claim under review. Approving a disputed claim means the marketplace
 * holds it valid against the seller's defense and steps in to pay.
 */
export async function decideClaim(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  decision: DecisionRequest,
): Promise<ClaimRow> {
  const claim = requireClaimActor(principal, await lockClaim(tx, claimId), claimId, CLAIM_HANDLERS);
  if (claim.status !== 'under_review') {
    throw new AppError('invalid_transition', `claim ${claimId} is ${claim.status}, not under review`, {
      extra: { currentStatus: claim.status },
    });
  }
  const rules = await loadClaimPolicy(tx, claim);
  // A person's decision on a risk review is a label for re-fitting the screening weights.
  if (claim.review_kind === 'risk') {
    await labelOutcome(tx, claim, {
      fraudulent: decision.outcome === 'deny',
      source: 'agent',
      at: ctx.clock.now(),
    });
  }
  // A claim sent back to review by a flag after approval: the decision releases or cancels its payout.
  const held = await hasHeldPayout(tx, claim.id);
  if (decision.outcome === 'deny') {
    if (held)
      return cancelHold(tx, ctx, claim, {
        actor: principal,
        code: decision.reason,
        note: decision.note ?? null,
      });
    return denyClaim(tx, ctx, claim, {
      code: decision.reason,
      actor: principal,
      note: decision.note ?? null,
      rules,
    });
  }
  let approvedAmount = claim.amount;
  if (decision.amount) {
    if (decision.amount.currency !== claim.currency) {
      throw unprocessable('body.amount.currency', `must be the claim's currency, ${claim.currency}`);
    }
    if (decision.amount.value <= 0 || decision.amount.value > claim.amount) {
      throw unprocessable('body.amount.value', `must be more than 0 and at most the ${claim.amount} claimed`);
    }
    approvedAmount = decision.amount.value;
  }
  if (held)
    return releaseHold(tx, ctx, claim, { actor: principal, reason: decision.reason, amount: approvedAmount });
  const routing = routeApproval(
    claim.review_kind as 'risk' | 'dispute' | 'appeal' | null,
    claim.seller_notified_at !== null,
    approvedAmount,
    rules.policy,
  );
  // The decided amount is written with the decision's own event (outcomes.ts / step-in.ts), so
  // the history shows every change to the claim; here it only rides along on the claim in hand.
  const withAmount: ClaimRow = {
    ...claim,
    approved_amount: routing.status === 'approved' ? approvedAmount : null,
  };
  // Holding valid a claim the seller disputed (or, on appeal, was already asked to pay) is a step-in.
  if (routing.stepIn) {
    return stepIn(tx, ctx, withAmount, 'dispute_rejected', {
      actor: principal,
      reason: decision.reason,
      rules,
    });
  }
  return applyRouting(tx, ctx, withAmount, routing, principal, rules, decision.reason);
}
