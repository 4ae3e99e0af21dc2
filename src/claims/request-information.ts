import { z } from 'zod';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError, unprocessable } from '../platform/errors.ts';
import { ZMoney } from '../platform/money.ts';
import { CLAIM_HANDLERS, requireClaimActor } from './access.ts';
import { loadClaimPolicy } from './claim-policy.ts';
import { ZDamage } from './claim-request.schemas.ts';
import { moveClaim } from './history.ts';
import { applyRouting } from './outcomes.ts';
import { screenClaim } from './screen-claim.ts';
import { type ClaimRow, findEvidence, lockClaim, sealClaimDamages } from './store.ts';

export const ZInformationRequest = z
  .object({ question: z.string().trim().min(5).max(5000) })
  .meta({ example: { question: 'Please add a photo of the damaged counter and the repair quote.' } });

export const ZInformationAnswer = z
  .object({
    message: z.string().trim().min(1).max(10_000),
    amount: ZMoney.optional().describe('A corrected total; the claim type cannot change'),
    damages: z.array(ZDamage).min(1).max(50).optional(),
    evidenceIds: z.array(z.string()).max(50).default([]),
  })
  .meta({ example: { message: 'Photo and quote attached.', evidenceIds: ['evd_01jd…'] } });

/** An agent asks the claimant for more; the claimant's window is the policy's, in calendar days. */
export async function requestInformation(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  request: z.infer<typeof ZInformationRequest>,
): Promise<ClaimRow> {
  const claim = requireClaimActor(principal, await lockClaim(tx, claimId), claimId, CLAIM_HANDLERS);
  const rules = await loadClaimPolicy(tx, claim);
  if (claim.status !== 'screening' && claim.status !== 'under_review') {
    throw new AppError(
      'invalid_transition',
      `claim ${claimId} is ${claim.status}; information is asked during screening or review`,
      {
        extra: { currentStatus: claim.status },
      },
    );
  }
  return applyRouting(
    tx,
    ctx,
    claim,
    { status: 'needs_info', payer: null, stepIn: false, reviewKind: null, sellerNotice: null },
    principal,
    rules,
    request.question,
    // The reason of a routing may hold screening's codes; the question is written for the claimant.
    { question: request.question },
  );
}

/**
 * The claimant answers: the claim goes back to screening with the corrected facts. The type
 * of claim stays as filed, so a claimant cannot switch type after an unfavourable turn.
 */
export async function provideInformation(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  answer: z.infer<typeof ZInformationAnswer>,
): Promise<ClaimRow> {
  const claim = requireClaimActor(principal, await lockClaim(tx, claimId), claimId, [
    'customer',
    'agent',
    'tpa',
  ]);
  if (claim.status !== 'needs_info') {
    throw new AppError(
      'invalid_transition',
      `claim ${claimId} is ${claim.status}; no information was asked for`,
      {
        extra: { currentStatus: claim.status },
      },
    );
  }
  const attached = new Set((await findEvidence(tx, claimId)).map((e) => e.id));
  for (const [index, id] of answer.evidenceIds.entries()) {
    if (!attached.has(id))
      throw unprocessable(`body.evidenceIds.${index}`, `${id} is not attached to this claim`);
  }
  const currency = answer.amount?.currency ?? claim.currency;
  if (currency !== claim.currency) throw unprocessable('body.amount.currency', `must stay ${claim.currency}`);
  for (const [index, damage] of (answer.damages ?? []).entries()) {
    if (damage.amount.currency !== claim.currency) {
      throw unprocessable(`body.damages.${index}.amount.currency`, `must be ${claim.currency}`);
    }
  }
  const back = await moveClaim(
    tx,
    ctx.clock,
    claim,
    'screening',
    {
      type: 'claim.info_provided',
      actor: principal,
      reason: answer.message,
      data: {
        evidenceIds: answer.evidenceIds,
        ...(answer.amount ? { amount: answer.amount } : {}),
        ...(answer.damages ? { damages: answer.damages } : {}),
      },
    },
    {
      info_deadline: null,
      ...(answer.amount ? { amount: answer.amount.value } : {}),
      ...(answer.damages
        ? {
            damages: await sealClaimDamages(
              tx,
              { id: claim.id, customerId: claim.customer_id },
              answer.damages,
            ),
          }
        : {}),
    },
  );
  return screenClaim(tx, ctx, back, principal);
}
