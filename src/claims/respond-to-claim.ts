import { tenderClaim } from '../insurance/tender-claim.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import { json, type Tx } from '../platform/db/sql.ts';
import { AppError, unprocessable } from '../platform/errors.ts';
import { requireClaimActor } from './access.ts';
import { loadClaimPolicy } from './claim-policy.ts';
import { recordClaimEvent } from './history.ts';
import { applyRouting } from './outcomes.ts';
import { routeSellerAnswer } from './routing.ts';
import type { SellerResponseRequest } from './seller-response.schemas.ts';
import { type ClaimRow, findEvidence, lockClaim } from './store.ts';

export type { SellerResponseRequest };

/**
 * The seller's answer. On a claim awaiting it, the answer decides the route; on a small claim
 * the marketplace already paid, the seller may still defend its product, which is recorded for
 * the agents and for recovery but does not take the customer's money back. An answer that
 * arrives after the deadline but before the marketplace stepped in is accepted and marked late:
 * the marketplace had not acted yet, and whichever commits first wins under the claim's lock.
 */
export async function respondToClaim(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  answer: SellerResponseRequest,
): Promise<ClaimRow> {
  const claim = requireClaimActor(principal, await lockClaim(tx, claimId), claimId, ['seller']);
  if (claim.seller_response) throw new AppError('conflict', `the seller already answered claim ${claimId}`);
  const evidenceIds = answer.action === 'dispute' ? answer.evidenceIds : [];
  const recalledBy = claim.recall_id ?? claim.public_recall_id;
  if (answer.action === 'dispute' && recalledBy && evidenceIds.length === 0) {
    // The product is recalled for a hazard (by the marketplace, or in a public notice that
    // matched it): "the customer misused it" alone no longer answers.
    throw unprocessable(
      'body.evidenceIds',
      `the product is under recall ${recalledBy}: a defense must come with evidence`,
    );
  }
  if (evidenceIds.length > 0) {
    const ownEvidence = new Set(
      (await findEvidence(tx, claimId)).filter((e) => e.uploaded_by_role === 'seller').map((e) => e.id),
    );
    for (const [index, id] of evidenceIds.entries()) {
      if (!ownEvidence.has(id)) {
        throw unprocessable(
          `body.evidenceIds.${index}`,
          `${id} is not evidence the seller attached to this claim`,
        );
      }
    }
  }
  const now = ctx.clock.now();
  const response = {
    action: answer.action,
    defense: answer.action === 'dispute' ? answer.defense : null,
    evidenceIds,
    late: claim.seller_deadline !== null && now >= claim.seller_deadline,
  };
  const paidByMarketplaceAlready =
    (claim.status === 'approved' || claim.status === 'paid') &&
    claim.payer === 'marketplace' &&
    !claim.step_in;
  if (paidByMarketplaceAlready) {
    if (answer.action === 'tender') {
      throw new AppError('conflict', 'the marketplace pays this claim itself; there is nothing to tender');
    }
    return recordClaimEvent(
      tx,
      ctx.clock,
      claim,
      { type: 'claim.seller_defended', actor: principal, reason: answer.action, data: response },
      { seller_response: json(response) },
    );
  }
  if (claim.status !== 'awaiting_seller') {
    throw new AppError(
      'invalid_transition',
      `claim ${claimId} is ${claim.status}: it is not waiting for the seller`,
      {
        extra: { currentStatus: claim.status },
      },
    );
  }
  const responded = await recordClaimEvent(
    tx,
    ctx.clock,
    claim,
    { type: 'claim.seller_responded', actor: principal, reason: answer.action, data: response },
    { seller_response: json(response) },
  );
  const rules = await loadClaimPolicy(tx, responded);
  // A tender that cannot be made (no cover on the incident date) rolls the whole answer back.
  if (answer.action === 'tender') return tenderClaim(tx, ctx, responded, principal, rules);
  return applyRouting(
    tx,
    ctx,
    responded,
    routeSellerAnswer(answer.action),
    principal,
    rules,
    `seller_${answer.action}`,
  );
}
