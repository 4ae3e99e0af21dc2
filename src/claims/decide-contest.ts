import { z } from 'zod';
import { reverseSellerRecoveries } from '../ledger/reverse-recovery.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { CLAIM_HANDLERS, requireClaimActor } from './access.ts';
import type { ContestRow } from './contest-views.ts';
import { recordClaimEvent } from './history.ts';
import { lockClaim } from './store.ts';

export const ZContestDecision = z
  .object({
    outcome: z
      .enum(['upheld', 'reversed'])
      .describe(
        "upheld: the marketplace's resolution and any recovery stand; reversed: the recovery is cancelled and what was taken refunded",
      ),
    note: z
      .string()
      .trim()
      .min(10, 'must explain the decision to the seller in at least 10 characters')
      .max(10_000),
  })
  .meta({
    example: {
      outcome: 'reversed',
      note: 'The photos show a different model; the recovery is cancelled and the offset refunded.',
    },
  });

/**
 * An agent decides an open contest. Upheld: nothing moves. Reversed: every seller recovery of
 * the claim is cancelled and what was already taken refunded (ledger/reverse-recovery.ts); the
 * claimant's payment is never touched. The decision is final: a second contest is refused.
 */
export async function decideContest(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  decision: z.infer<typeof ZContestDecision>,
): Promise<ContestRow> {
  // Marketplace staff, or a TPA on its marketplaces' claims, decide a contest.
  let claim = requireClaimActor(principal, await lockClaim(tx, claimId), claimId, CLAIM_HANDLERS);
  const contest = await tx
    .selectFrom('contests')
    .selectAll()
    .where('claim_id', '=', claimId)
    .forUpdate()
    .executeTakeFirst();
  if (!contest) throw notFound('contest of claim', claimId);
  if (contest.status !== 'open') {
    throw new AppError('conflict', `the contest of claim ${claimId} was already decided: ${contest.status}`, {
      extra: { rule: 'contest_already_decided', currentStatus: contest.status },
    });
  }
  let reversal: Awaited<ReturnType<typeof reverseSellerRecoveries>>['reversed'] | null = null;
  if (decision.outcome === 'reversed') {
    const result = await reverseSellerRecoveries(tx, ctx, claim, principal);
    claim = result.claim;
    reversal = result.reversed;
  }
  const decided = await tx
    .updateTable('contests')
    .set({
      status: decision.outcome,
      decided_at: ctx.clock.now(),
      decided_by_role: principal.role,
      decided_by_id: principal.partyId ?? principal.keyId,
      decision_note: decision.note,
      reversal: reversal ? JSON.stringify(reversal) : null,
    })
    .where('id', '=', contest.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const cancelled = (reversal ?? []).reduce((sum, r) => sum + r.cancelled, 0);
  const refunded = (reversal ?? []).reduce((sum, r) => sum + r.refunded, 0);
  await recordClaimEvent(tx, ctx.clock, claim, {
    type: 'claim.contest_decided',
    actor: principal,
    reason: decision.outcome,
    data: { contestId: contest.id, outcome: decision.outcome, cancelled, refunded },
  });
  return decided;
}
