import type { z } from 'zod';
import { loadClaimPolicy } from '../claims/claim-policy.ts';
import { recordClaimEvent } from '../claims/history.ts';
import { applyRouting, denyClaim } from '../claims/outcomes.ts';
import { cancelHold, hasHeldPayout, releaseHold } from '../claims/resolve-payout-hold.ts';
import { routeValidClaim } from '../claims/routing.ts';
import { lockClaim } from '../claims/store.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError, notFound } from '../platform/errors.ts';
import type { ZFindings } from './findings.schemas.ts';
import { labelOutcome } from './labels.ts';
import { referralStates } from './referral-states.ts';
import { type ReferralRow, requireOwnReferral } from './referrals.ts';

/**
 * The expert's findings move the claim: valid → on to the seller (or paid at once if small);
 * otherwise denied with the verdict as reason code, which the claimant may appeal.
 */
export async function submitFindings(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  referralId: string,
  findings: z.infer<typeof ZFindings>,
): Promise<ReferralRow> {
  const referral = await requireOwnReferral(tx, principal, referralId);
  if (principal.role !== 'expert')
    throw new AppError('forbidden', 'findings come from the expert the claim was referred to');
  const locked = await tx
    .selectFrom('referrals')
    .selectAll()
    .where('id', '=', referralId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  // A second answer is refused (409), not taken as "staying answered".
  if (!referralStates.canMove(locked.status, 'answered'))
    throw new AppError('conflict', `referral ${referralId} is ${locked.status}`);
  const now = ctx.clock.now();
  const answered = await tx
    .updateTable('referrals')
    .set({
      status: 'answered',
      verdict: findings.verdict,
      notes: findings.notes,
      confidence: String(findings.confidence),
      answered_at: now,
    })
    .where('id', '=', referralId)
    .returningAll()
    .executeTakeFirstOrThrow();
  const claim = await lockClaim(tx, referral.claim_id);
  if (!claim) throw notFound('claim', referral.claim_id);
  const recorded = await recordClaimEvent(tx, ctx.clock, claim, {
    type: 'claim.expert_findings',
    actor: principal,
    reason: findings.verdict,
    data: { referralId, confidence: findings.confidence, notes: findings.notes },
  });
  await labelOutcome(tx, recorded, { fraudulent: findings.verdict !== 'valid', source: 'expert', at: now });
  if (recorded.status !== 'expert_review') return answered;
  // Referred because a flag held an approved claim's payout: the findings release or cancel it.
  if (await hasHeldPayout(tx, recorded.id)) {
    if (findings.verdict === 'valid') {
      await releaseHold(tx, ctx, recorded, { actor: principal, reason: 'expert_found_valid' });
    } else {
      await cancelHold(tx, ctx, recorded, { actor: principal, code: findings.verdict, note: findings.notes });
    }
    return answered;
  }
  const rules = await loadClaimPolicy(tx, recorded);
  if (findings.verdict === 'valid') {
    await applyRouting(
      tx,
      ctx,
      recorded,
      routeValidClaim(recorded.amount, rules.policy),
      principal,
      rules,
      'expert_found_valid',
    );
  } else {
    await denyClaim(tx, ctx, recorded, {
      code: findings.verdict,
      actor: principal,
      note: findings.notes,
      rules,
    });
  }
  return answered;
}
