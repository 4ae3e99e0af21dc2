import { z } from 'zod';
import { cancelHeldPayout, lockPayoutOfClaim, releaseHeldPayout } from '../ledger/payout-holds.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError } from '../platform/errors.ts';
import { labelOutcome } from '../screening/labels.ts';
import { CLAIM_HANDLERS, requireClaimActor } from './access.ts';
import { loadClaimPolicy } from './claim-policy.ts';
import { moveClaim, recordClaimEvent } from './history.ts';
import { denyClaim } from './outcomes.ts';
import { type ClaimRow, lockClaim } from './store.ts';

/**
 * Why a held payout is cancelled: the abuse codes of DECISION_DENIAL_CODES (decide-claim.ts),
 * listed here because decide-claim imports this module and a schema built at load time cannot
 * wait on a cycle.
 */
const HOLD_CANCEL_CODES = ['unsubstantiated', 'frivolous', 'abusive', 'duplicate'] as const;

export const ZPayoutHoldDecision = z
  .discriminatedUnion('action', [
    z.object({
      action: z.literal('release'),
      reason: z
        .string()
        .trim()
        .min(3, 'must say why the flag is cleared in at least 3 characters')
        .max(5000)
        .describe('Why the flag does not stand; the payout goes ahead'),
    }),
    z.object({
      action: z.literal('cancel'),
      reason: z.enum(HOLD_CANCEL_CODES).describe('The denial reason code; the claimant may appeal once'),
      note: z.string().max(5000).optional(),
    }),
  ])
  .meta({
    example: {
      action: 'release',
      reason: 'Both photos are the claimant’s own, of two kettles from one order',
    },
  });

export type PayoutHoldDecision = z.infer<typeof ZPayoutHoldDecision>;

/** Whether the claim's marketplace payout is waiting on a flag. */
export async function hasHeldPayout(tx: Tx, claimId: string): Promise<boolean> {
  return (await lockPayoutOfClaim(tx, claimId))?.status === 'held';
}

/**
 * An agent or admin releases or cancels a held payout; any open referral is withdrawn (the
 * expert it was referred to releases or cancels through its findings instead, referrals.ts,
 * and never sees the full claim).
 */
export async function resolvePayoutHold(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  decision: PayoutHoldDecision,
): Promise<ClaimRow> {
  const claim = requireClaimActor(principal, await lockClaim(tx, claimId), claimId, CLAIM_HANDLERS);
  if (!(await hasHeldPayout(tx, claim.id))) {
    throw new AppError('conflict', `claim ${claimId} has no payout held on a flag`, {
      extra: { currentStatus: claim.status },
    });
  }
  const now = ctx.clock.now();
  await tx
    .updateTable('referrals')
    .set({ status: 'withdrawn', answered_at: now })
    .where('claim_id', '=', claim.id)
    .where('status', '=', 'open')
    .execute();
  // A person's decision on a flag is a label for re-fitting the screening weights.
  await labelOutcome(tx, claim, { fraudulent: decision.action === 'cancel', source: 'agent', at: now });
  return decision.action === 'release'
    ? releaseHold(tx, ctx, claim, { actor: principal, reason: decision.reason })
    : cancelHold(tx, ctx, claim, { actor: principal, code: decision.reason, note: decision.note ?? null });
}

/** The flag does not stand: the claim is approved again and its payout is due. */
export async function releaseHold(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  release: { actor: Principal; reason: string; amount?: number },
): Promise<ClaimRow> {
  const amount = release.amount ?? claim.approved_amount ?? claim.amount;
  const payoutId = await releaseHeldPayout(tx, ctx, claim, amount);
  return moveClaim(
    tx,
    ctx.clock,
    claim,
    'approved',
    { type: 'claim.payout_released', actor: release.actor, reason: release.reason, data: { payoutId } },
    { review_kind: null, approved_amount: amount, decided_at: ctx.clock.now() },
  );
}

/** The flag stands: the payout is cancelled (its cost reversed) and the claim denied, appealable once. */
export async function cancelHold(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  cancel: { actor: Principal; code: string; note: string | null },
): Promise<ClaimRow> {
  const payoutId = await cancelHeldPayout(tx, ctx, claim);
  const recorded = await recordClaimEvent(tx, ctx.clock, claim, {
    type: 'claim.payout_cancelled',
    actor: cancel.actor,
    reason: cancel.code,
    data: { payoutId },
  });
  return denyClaim(tx, ctx, recorded, {
    code: cancel.code,
    actor: cancel.actor,
    note: cancel.note,
    rules: await loadClaimPolicy(tx, recorded),
  });
}
