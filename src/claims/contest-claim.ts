import { z } from 'zod';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable, Tx } from '../platform/db/sql.ts';
import { AppError, notFound, unprocessable } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { canContestClaim, canReadContest, requireClaimAccess } from './access.ts';
import { loadClaimPolicy } from './claim-policy.ts';
import { contestWindow } from './contest-rules.ts';
import type { ContestRow } from './contest-views.ts';
import { recordClaimEvent } from './history.ts';
import { findClaim, findEvidence, lockClaim } from './store.ts';

export const ZContestRequest = z
  .object({
    reason: z.string().trim().min(20, 'must give the reason in at least 20 characters').max(10_000),
    evidenceIds: z
      .array(z.string().min(1).max(64))
      .max(20)
      .default([])
      .describe('Evidence already attached to the claim (POST …/evidence) that supports the contest'),
  })
  .meta({
    example: {
      reason: 'The lamp in the photos is not our model: ours has a metal base and a different switch.',
      evidenceIds: ['evd_01jd8x6m3q9t2v4w5y6z7a8b9c'],
    },
  });

const REFUSALS = {
  not_resolved_by_marketplace:
    'only a claim the marketplace paid (a small claim or a step-in) can be contested',
  already_contested:
    'this claim was already contested; the decision on a contest is final and cannot be contested',
} as const;

/**
 * A seller (or its insurer) contests how the marketplace resolved a claim, within the policy's
 * `contestDays`, with a written reason and evidence. The claim itself does not move: the
 * claimant keeps what it was paid whatever the outcome; an agent decides (decide-contest.ts).
 */
export async function contestClaim(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  request: z.infer<typeof ZContestRequest>,
): Promise<ContestRow> {
  const claim = requireClaimAccess(principal, await lockClaim(tx, claimId), claimId);
  if (!canContestClaim(principal, claim) || !claim.seller_id) {
    throw new AppError('forbidden', `only the claim's seller or its insurer may contest claim ${claimId}`);
  }
  const existing = await tx
    .selectFrom('contests')
    .select('id')
    .where('claim_id', '=', claimId)
    .executeTakeFirst();
  const paid = await tx
    .selectFrom('claim_events')
    .select('at')
    .where('claim_id', '=', claimId)
    .where('type', '=', 'claim.paid')
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  // A charge is when the recovery took from the seller's proceeds or invoiced it.
  const charges = await tx
    .selectFrom('claim_events')
    .select('at')
    .where('claim_id', '=', claimId)
    .where('type', '=', 'claim.recovery_updated')
    .where('reason', 'in', ['offset', 'invoiced'])
    .execute();
  const { policy, calendar } = await loadClaimPolicy(tx, claim);
  const now = ctx.clock.now();
  const window = contestWindow(
    {
      payer: claim.payer,
      paidAt: paid?.at ?? null,
      chargedAt: charges.map((c) => c.at),
      contested: existing !== undefined,
    },
    now,
    policy.contestDays,
    calendar,
  );
  if ('refused' in window) {
    if (window.refused === 'window_closed') {
      throw new AppError(
        'conflict',
        `the ${policy.contestDays}-day contest window of claim ${claimId} closed at ${window.closedAt.toISOString()}`,
        { extra: { rule: 'contest_window_closed', closedAt: window.closedAt.toISOString() } },
      );
    }
    throw new AppError('conflict', REFUSALS[window.refused], { extra: { rule: window.refused } });
  }
  const attached = new Set((await findEvidence(tx, claimId)).map((e) => e.id));
  request.evidenceIds.forEach((id, i) => {
    if (!attached.has(id))
      throw unprocessable(`body.evidenceIds.${i}`, `evidence ${id} is not attached to this claim`);
  });
  const contest = await tx
    .insertInto('contests')
    .values({
      id: newId('contest', ctx.clock),
      claim_id: claimId,
      marketplace_id: claim.marketplace_id,
      seller_id: claim.seller_id,
      status: 'open',
      reason: request.reason,
      evidence_ids: JSON.stringify(request.evidenceIds),
      filed_by_role: principal.role,
      filed_by_id: principal.partyId,
      window_closed_at: window.closesAt,
      filed_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  // The seller's words stay in the contest row: the claim history is sealed under the claimant's
  // key, and an erasure of the claimant must not erase what the seller said.
  await recordClaimEvent(tx, ctx.clock, claim, {
    type: 'claim.contested',
    actor: principal,
    reason: 'contested',
    data: {
      contestId: contest.id,
      evidenceIds: request.evidenceIds,
      windowClosedAt: window.closesAt.toISOString(),
    },
  });
  return contest;
}

/** The contest of a claim, for whoever may see it (staff, the seller's side); 404 otherwise. */
export async function findContest(db: Queryable, principal: Principal, claimId: string): Promise<ContestRow> {
  const claim = requireClaimAccess(principal, await findClaim(db, claimId), claimId);
  const contest = await db
    .selectFrom('contests')
    .selectAll()
    .where('claim_id', '=', claimId)
    .executeTakeFirst();
  if (!contest || !canReadContest(principal, claim)) throw notFound('contest of claim', claimId);
  return contest;
}
