import { recordClaimEvent } from '../claims/history.ts';
import { lockClaim } from '../claims/store.ts';
import { systemPrincipal } from '../platform/auth/roles.ts';
import { newId } from '../platform/ids.ts';
import { enqueueOutgoing } from '../platform/outbox.ts';
import type { TimerRegistry } from '../platform/timers.ts';
import { REFERRAL_TIMERS } from './referrals.ts';

export function registerScreeningTimers(registry: TimerRegistry): void {
  registry.set(REFERRAL_TIMERS.reminder, async (tx, timer, ctx) => {
    const referral = await tx
      .selectFrom('referrals')
      .selectAll()
      .where('id', '=', timer.subject_id)
      .executeTakeFirst();
    if (referral?.status !== 'open') return 'stale';
    await enqueueOutgoing(tx, {
      eventId: newId('event', ctx.clock),
      eventType: 'referral.reminder',
      marketplaceId: null,
      aggregateType: 'referral',
      aggregateId: referral.id,
      at: ctx.clock.now(),
      payload: {
        referralId: referral.id,
        expertId: referral.expert_id,
        claimId: referral.claim_id,
        dueAt: referral.due_at.toISOString(),
      },
    });
    return 'reminded';
  });

  registry.set(REFERRAL_TIMERS.due, async (tx, timer, ctx) => {
    const referral = await tx
      .selectFrom('referrals')
      .selectAll()
      .where('id', '=', timer.subject_id)
      .executeTakeFirst();
    if (referral?.status !== 'open') return 'stale';
    const claim = await lockClaim(tx, referral.claim_id);
    if (!claim) return 'stale';
    await recordClaimEvent(tx, ctx.clock, claim, {
      type: 'claim.referral_overdue',
      actor: systemPrincipal('referral-deadline'),
      reason: 'expert_overdue',
      data: { referralId: referral.id, expertId: referral.expert_id },
    });
    return 'overdue';
  });
}
