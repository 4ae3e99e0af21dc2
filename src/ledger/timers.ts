import { automationHalted } from '../claims/matters.ts';
import { stepIn } from '../claims/step-in.ts';
import { lockClaim } from '../claims/store.ts';
import { CLAIM_TIMERS } from '../claims/timer-kinds.ts';
import type { TimerRegistry } from '../platform/timers.ts';
import { findPayoutForClaim } from './payouts.ts';
import { collectRecovery, RECOVERY_DUE_TIMER } from './recoveries.ts';

export function registerLedgerTimers(registry: TimerRegistry): void {
  // A seller or insurer accepted but did not confirm payment in time: the customer is not
  // left waiting; the marketplace pays and recovers later.
  registry.set(CLAIM_TIMERS.paymentConfirmationDue, async (tx, timer, ctx) => {
    const claim = await lockClaim(tx, timer.subject_id);
    if (claim && automationHalted(claim)) return 'matter';
    if (claim?.status !== 'approved' || claim.payer === 'marketplace') return 'stale';
    if (await findPayoutForClaim(tx, claim.id)) return 'stale';
    await stepIn(tx, ctx, claim, 'payment_unconfirmed');
    return 'stepped_in';
  });

  registry.set(RECOVERY_DUE_TIMER, (tx, timer, ctx) => collectRecovery(tx, ctx, timer.subject_id));
}
