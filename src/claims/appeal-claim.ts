import { z } from 'zod';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError } from '../platform/errors.ts';
import { requireClaimActor } from './access.ts';
import { moveClaim } from './history.ts';
import { type ClaimRow, lockClaim } from './store.ts';

export const ZAppealRequest = z
  .object({
    grounds: z.string().trim().min(10, 'must give the grounds in at least 10 characters').max(10_000),
  })
  .meta({
    example: { grounds: 'The order was delivered on the 2nd; the carrier’s proof of delivery is attached.' },
  });

/** One appeal of a denial, within the appeal window; an agent decides it. */
export async function appealClaim(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  request: z.infer<typeof ZAppealRequest>,
): Promise<ClaimRow> {
  const claim = requireClaimActor(principal, await lockClaim(tx, claimId), claimId, [
    'customer',
    'agent',
    'tpa',
  ]);
  if (claim.status !== 'denied') {
    throw new AppError(
      'invalid_transition',
      `claim ${claimId} is ${claim.status}; only a denial can be appealed`,
      {
        extra: { currentStatus: claim.status },
      },
    );
  }
  if (claim.appealed_at) throw new AppError('conflict', `claim ${claimId} was already appealed once`);
  if (!claim.appeal_deadline || ctx.clock.now() >= claim.appeal_deadline) {
    throw new AppError('conflict', `the appeal window of claim ${claimId} has closed`);
  }
  return moveClaim(
    tx,
    ctx.clock,
    claim,
    'under_review',
    {
      type: 'claim.appealed',
      actor: principal,
      reason: request.grounds,
      data: { deniedFor: claim.denial_reason },
    },
    { appealed_at: ctx.clock.now(), review_kind: 'appeal', appeal_deadline: null },
  );
}
