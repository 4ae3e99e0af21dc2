import { coveringPolicy } from '../insurance/cover.ts';
import { queueMarketplacePayout } from '../ledger/payouts.ts';
import { businessDeadline, type Calendar, calendarDeadline } from '../marketplace/business-days.ts';
import type { Policy } from '../marketplace/policy.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import { writeHeld } from '../platform/db/held-writes.ts';
import type { Tx } from '../platform/db/sql.ts';
import { scheduleTimer } from '../platform/timers.ts';
import { referClaim } from '../screening/refer-to-expert.ts';
import type { ClaimEventType } from './events.ts';
import { moveClaim, recordClaimEvent } from './history.ts';
import type { Routing } from './routing.ts';
import { type ClaimRow, lockClaim } from './store.ts';
import { CLAIM_TIMERS } from './timer-kinds.ts';

interface Rules {
  policy: Policy;
  calendar: Calendar;
}

const EVENT_FOR_STATUS: Partial<Record<string, ClaimEventType>> = {
  approved: 'claim.approved',
  awaiting_seller: 'claim.passed_screening',
  under_review: 'claim.review_started',
  expert_review: 'claim.referred_to_expert',
  needs_info: 'claim.info_requested',
};

/**
 * Applies a routing decision to a locked claim: moves it, sets its payer, and when the
 * routing says so tells the seller (and its insurer) with a business-day deadline.
 */
export async function applyRouting(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  routing: Routing,
  actor: Principal,
  rules: Rules,
  reason: string,
  /** Data written for a party beside the (staff-only) reason, e.g. an agent's question to the claimant. */
  partyData: Record<string, unknown> = {},
): Promise<ClaimRow> {
  const now = ctx.clock.now();
  const changes: Parameters<typeof moveClaim>[5] = {
    payer: routing.payer,
    step_in: routing.stepIn,
    review_kind: routing.reviewKind,
    // As the caller holds it: an agent's decision brings the amount it approved (decide-claim.ts).
    approved_amount: claim.approved_amount,
  };
  // Read once: the approval records it and the seller's notice names its insurer.
  let cover: Awaited<ReturnType<typeof coveringPolicy>> | undefined;
  if (routing.status === 'approved') {
    cover = await coveringPolicy(tx, claim);
    changes.decided_at = now;
    changes.approved_amount = claim.approved_amount ?? claim.amount;
    changes.covering_policy_id = cover?.id ?? null;
    // A seller or insurer that pays must confirm it by this date, or the marketplace steps in.
    if (routing.payer !== 'marketplace') {
      changes.payment_deadline = businessDeadline(
        now,
        rules.policy.paymentConfirmationBusinessDays,
        rules.calendar,
      );
    }
  }
  if (routing.status === 'needs_info') {
    changes.info_deadline = calendarDeadline(now, rules.policy.claimantInformationDays, rules.calendar);
  }
  const eventType = routing.stepIn
    ? 'claim.stepped_in'
    : (EVENT_FOR_STATUS[routing.status] ?? 'claim.screened');
  let moved = await moveClaim(
    tx,
    ctx.clock,
    claim,
    routing.status,
    {
      type: eventType,
      actor,
      reason,
      data: {
        payer: routing.payer,
        stepIn: routing.stepIn,
        ...(routing.status === 'approved' ? { coveringPolicyId: changes.covering_policy_id ?? null } : {}),
        ...(changes.payment_deadline
          ? { paymentDeadline: (changes.payment_deadline as Date).toISOString() }
          : {}),
        ...(routing.reviewKind ? { reviewKind: routing.reviewKind } : {}),
        ...(changes.info_deadline
          ? { informationDeadline: (changes.info_deadline as Date).toISOString() }
          : {}),
        ...partyData,
      },
    },
    changes,
  );
  if (routing.status === 'needs_info' && moved.info_deadline) {
    await scheduleTimer(tx, {
      kind: CLAIM_TIMERS.informationDue,
      subjectId: claim.id,
      dueAt: moved.info_deadline,
      now,
    });
  }
  // A claim sent (back) to the seller to answer always gets a fresh deadline; a notice that
  // the seller may defend a paid claim is sent once.
  if (routing.sellerNotice === 'respond' || (routing.sellerNotice && !moved.seller_notified_at)) {
    moved = await notifySeller(tx, ctx, moved, routing, actor, rules, cover);
  }
  if (moved.status === 'expert_review') {
    // The referral reads the claim: a held history (a filing's) is written first.
    await writeHeld(tx);
    await referClaim(tx, ctx, moved, { reason, actor });
    moved = (await lockClaim(tx, moved.id)) ?? moved;
  }
  if (moved.status === 'approved') moved = await startPayment(tx, ctx, moved);
  return moved;
}

/**
 * An approved claim starts its payment: the marketplace queues its own payout; a seller or
 * insurer that accepted must confirm payment within the policy's business days, or the
 * marketplace steps in (see ledger/timers.ts).
 */
async function startPayment(tx: Tx, ctx: AppContext, claim: ClaimRow): Promise<ClaimRow> {
  if (claim.payer === 'marketplace') {
    await queueMarketplacePayout(tx, ctx, claim);
    return claim;
  }
  // The deadline was written with the approval's event (applyRouting); here only its timer.
  if (claim.payment_deadline) {
    await scheduleTimer(tx, {
      kind: CLAIM_TIMERS.paymentConfirmationDue,
      subjectId: claim.id,
      dueAt: claim.payment_deadline,
      now: ctx.clock.now(),
    });
  }
  return claim;
}

/** Tells the seller (and its insurer on file) of a claim, with its business-day deadline to answer. */
export async function notifySeller(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  routing: Routing,
  actor: Principal,
  rules: Rules,
  /** The seller's cover on the incident date, when the caller has read it already. */
  knownCover?: Awaited<ReturnType<typeof coveringPolicy>>,
): Promise<ClaimRow> {
  const now = ctx.clock.now();
  const deadline = businessDeadline(now, rules.policy.sellerResponseBusinessDays, rules.calendar);
  const cover = knownCover !== undefined ? knownCover : await coveringPolicy(tx, claim);
  const notified = await recordClaimEvent(
    tx,
    ctx.clock,
    claim,
    {
      type: 'claim.seller_notified',
      actor,
      reason: routing.sellerNotice === 'respond' ? 'seller_must_answer' : 'seller_may_defend',
      data: {
        sellerId: claim.seller_id,
        insurerId: cover?.insurerId ?? null,
        deadline: deadline.toISOString(),
        timeZone: rules.calendar.timeZone,
        canChangeOutcome: routing.sellerNotice === 'respond',
      },
    },
    { seller_notified_at: now, seller_deadline: deadline },
  );
  if (routing.sellerNotice === 'respond') {
    await scheduleTimer(tx, {
      kind: CLAIM_TIMERS.sellerResponseDue,
      subjectId: claim.id,
      dueAt: deadline,
      now,
    });
  }
  return notified;
}

/** Denies a locked claim with a reason code; the claimant may appeal once, within the window. */
export async function denyClaim(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  denial: { code: string; actor: Principal; note?: string | null; rules: Rules },
): Promise<ClaimRow> {
  const now = ctx.clock.now();
  const appealable = !claim.appealed_at;
  const appealDeadline = appealable
    ? calendarDeadline(now, denial.rules.policy.appealWindowDays, denial.rules.calendar)
    : null;
  const denied = await moveClaim(
    tx,
    ctx.clock,
    claim,
    'denied',
    {
      type: 'claim.denied',
      actor: denial.actor,
      reason: denial.code,
      data: {
        note: denial.note ?? null,
        appealDeadline: appealDeadline?.toISOString() ?? null,
        finalDenial: !appealable,
      },
    },
    {
      denial_reason: denial.code,
      decided_at: now,
      appeal_deadline: appealDeadline,
      payer: null,
      step_in: false,
    },
  );
  if (appealDeadline) {
    await scheduleTimer(tx, {
      kind: CLAIM_TIMERS.appealWindowEnds,
      subjectId: claim.id,
      dueAt: appealDeadline,
      now,
    });
  }
  return denied;
}
