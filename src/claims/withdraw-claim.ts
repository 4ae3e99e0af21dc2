import { z } from 'zod';
import { withdrawClaimTender } from '../insurance/withdraw-tender.ts';
import { cancelHeldPayout } from '../ledger/payout-holds.ts';
import { cancelQueuedPayout } from '../ledger/payouts.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { requireClaimActor } from './access.ts';
import { moveClaim } from './history.ts';
import { type ClaimRow, lockClaim } from './store.ts';

export const ZWithdrawRequest = z
  .object({ reason: z.string().trim().max(2000).optional() })
  .meta({ example: { reason: 'The seller replaced the item and paid for the repair directly.' } });

/** The claimant may withdraw at any time before payment (the transition table says when). */
export async function withdrawClaim(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  request: z.infer<typeof ZWithdrawRequest>,
): Promise<ClaimRow> {
  const claim = requireClaimActor(principal, await lockClaim(tx, claimId), claimId, [
    'customer',
    'agent',
    'tpa',
  ]);
  if (claim.status === 'approved') await cancelQueuedPayout(tx, ctx, claim);
  // A claim back in review on a flag after approval may still have its payout held.
  else await cancelHeldPayout(tx, ctx, claim);
  if (claim.status === 'awaiting_insurer')
    await withdrawClaimTender(tx, ctx, claim.id, 'claim withdrawn by the claimant');
  return moveClaim(tx, ctx.clock, claim, 'withdrawn', {
    type: 'claim.withdrawn',
    actor: principal,
    reason: request.reason ?? null,
  });
}
