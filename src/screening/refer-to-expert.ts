import { sql } from 'kysely';
import { requireClaimAccess } from '../claims/access.ts';
import { loadClaimPolicy } from '../claims/claim-policy.ts';
import { moveClaim, recordClaimEvent } from '../claims/history.ts';
import { type ClaimRow, lockClaim } from '../claims/store.ts';
import { businessDeadline } from '../marketplace/business-days.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable, Tx } from '../platform/db/sql.ts';
import { AppError, unprocessable } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { scheduleTimer } from '../platform/timers.ts';
import { REFERRAL_TIMERS, type ReferralRow } from './referrals.ts';

/** The expert with the fewest open referrals in the claim's marketplace, so work spreads. */
async function pickExpert(db: Queryable, marketplaceId: string): Promise<string | null> {
  const row = await sql<{ id: string }>`
    select e.id from experts e
    left join referrals r on r.expert_id = e.id and r.status = 'open'
    where e.marketplace_id = ${marketplaceId} and e.active
    group by e.id order by count(r.id), e.id limit 1`.execute(db);
  return row.rows[0]?.id ?? null;
}

/**
 * Refers a claim to an independent expert, with a business-day deadline and a reminder the
 * day before. Without any expert on file the claim waits in expert_review for an agent.
 */
export async function referClaim(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  referral: { expertId?: string | null; reason: string; actor: Principal },
): Promise<ReferralRow | null> {
  const expertId = referral.expertId ?? (await pickExpert(tx, claim.marketplace_id));
  if (!expertId) return null;
  const expert = await tx.selectFrom('experts').selectAll().where('id', '=', expertId).executeTakeFirst();
  if (!expert?.active || expert.marketplace_id !== claim.marketplace_id) {
    throw unprocessable(
      'body.expertId',
      `expert ${expertId} is not an active expert of ${claim.marketplace_id}`,
    );
  }
  const open = await tx
    .selectFrom('referrals')
    .select('id')
    .where('claim_id', '=', claim.id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (open) throw new AppError('conflict', `claim ${claim.id} is already with an expert (${open.id})`);
  const { policy, calendar } = await loadClaimPolicy(tx, claim);
  const now = ctx.clock.now();
  const dueAt = businessDeadline(now, policy.fraud.expertResponseBusinessDays, calendar);
  const row = await tx
    .insertInto('referrals')
    .values({
      id: newId('referral', ctx.clock),
      claim_id: claim.id,
      marketplace_id: claim.marketplace_id,
      expert_id: expertId,
      status: 'open',
      reason: referral.reason,
      due_at: dueAt,
      verdict: null,
      notes: null,
      confidence: null,
      answered_at: null,
      created_at: now,
      created_by: referral.actor.partyId ?? referral.actor.keyId ?? referral.actor.role,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await scheduleTimer(tx, {
    kind: REFERRAL_TIMERS.reminder,
    subjectId: row.id,
    dueAt: new Date(dueAt.getTime() - 86_400_000),
    now,
  });
  await scheduleTimer(tx, { kind: REFERRAL_TIMERS.due, subjectId: row.id, dueAt, now });
  const event = {
    type: 'claim.referred_to_expert' as const,
    actor: referral.actor,
    reason: referral.reason,
    data: { referralId: row.id, expertId, dueAt: dueAt.toISOString() },
  };
  if (claim.status === 'expert_review') await recordClaimEvent(tx, ctx.clock, claim, event);
  else await moveClaim(tx, ctx.clock, claim, 'expert_review', event);
  return row;
}

/** An agent refers a claim by hand (or to a chosen expert). */
export async function referClaimByAgent(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  request: { expertId?: string | undefined; reason: string },
): Promise<ReferralRow> {
  const claim = requireClaimAccess(principal, await lockClaim(tx, claimId), claimId);
  if (!['screening', 'under_review', 'awaiting_seller', 'expert_review'].includes(claim.status)) {
    throw new AppError(
      'invalid_transition',
      `claim ${claimId} is ${claim.status}; only a claim still being decided can be referred`,
      {
        extra: { currentStatus: claim.status },
      },
    );
  }
  const referral = await referClaim(tx, ctx, claim, {
    expertId: request.expertId ?? null,
    reason: request.reason,
    actor: principal,
  });
  if (!referral) throw unprocessable('body.expertId', 'no active expert is on file for this marketplace');
  return referral;
}
