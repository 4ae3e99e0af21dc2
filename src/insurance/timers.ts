import { findSeller } from '../marketplace/store.ts';
import type { TimerRegistry } from '../platform/timers.ts';
import { expireTender } from './answer-tender.ts';
import { emitInsuranceEvent } from './events.ts';
import { reviewMarketplaceInsurance, reviewSellerInsurance } from './review-insurance.ts';
import { lockPolicy } from './store.ts';
import { INSURANCE_TIMERS } from './timer-kinds.ts';

/**
 * What happens when an insurance deadline passes. Each handler re-reads its subject under a
 * lock: a renewal, a verification or an answer that committed first leaves it nothing to do.
 */
export function registerInsuranceTimers(registry: TimerRegistry): void {
  registry.set(INSURANCE_TIMERS.complianceReview, async (tx, timer, ctx) => {
    const newlyRequired = await reviewMarketplaceInsurance(tx, ctx, timer.subject_id);
    return `reviewed:${newlyRequired}`;
  });

  registry.set(INSURANCE_TIMERS.graceEnds, async (tx, timer, ctx) => {
    return (await reviewSellerInsurance(tx, ctx, timer.subject_id)) ?? 'stale';
  });

  registry.set(INSURANCE_TIMERS.policyExpires, async (tx, timer, ctx) => {
    const policy = await lockPolicy(tx, timer.subject_id);
    if (policy?.status !== 'verified' || policy.expires_at > ctx.clock.now()) return 'stale';
    await tx
      .updateTable('insurance_policies')
      .set({ status: 'expired', updated_at: ctx.clock.now() })
      .where('id', '=', policy.id)
      .execute();
    const seller = await findSeller(tx, policy.seller_id);
    if (seller) {
      await emitInsuranceEvent(tx, ctx.clock, {
        type: 'insurance.policy_expired',
        marketplaceId: seller.marketplace_id,
        subjectId: policy.id,
        sellerId: policy.seller_id,
        insurerId: policy.insurer_id,
        data: { policyNumber: policy.policy_number },
      });
    }
    await reviewSellerInsurance(tx, ctx, policy.seller_id);
    return 'expired';
  });

  registry.set(INSURANCE_TIMERS.expiryReminder, async (tx, timer, ctx) => {
    const [policyId = '', days = ''] = timer.subject_id.split(':');
    const policy = await lockPolicy(tx, policyId);
    if (policy?.status !== 'verified') return 'stale';
    // A renewal already verified to carry on from this policy's expiry needs no reminder.
    const renewal = await tx
      .selectFrom('insurance_policies')
      .select('id')
      .where('seller_id', '=', policy.seller_id)
      .where('id', '!=', policy.id)
      .where('status', '=', 'verified')
      .where('effective_from', '<=', policy.expires_at)
      .where('expires_at', '>', policy.expires_at)
      .executeTakeFirst();
    if (renewal) return 'renewed';
    const seller = await findSeller(tx, policy.seller_id);
    if (!seller) return 'stale';
    await emitInsuranceEvent(tx, ctx.clock, {
      type: 'insurance.policy_expiring',
      marketplaceId: seller.marketplace_id,
      subjectId: policy.id,
      sellerId: policy.seller_id,
      insurerId: policy.insurer_id,
      data: {
        policyNumber: policy.policy_number,
        expiresAt: policy.expires_at.toISOString(),
        daysBefore: Number(days),
      },
    });
    return 'reminded';
  });

  registry.set(INSURANCE_TIMERS.tenderDue, (tx, timer, ctx) => expireTender(tx, ctx, timer.subject_id));
}
