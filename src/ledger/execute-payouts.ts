import { sql } from 'kysely';
import { holdClaimHistory, moveClaim, recordClaimEvent } from '../claims/history.ts';
import { FLAGGED_AFTER_APPROVAL, sendHeldClaimToReview } from '../claims/hold-flagged-claim.ts';
import { CLAIM_COLUMNS, type ClaimRow, lockClaim, openClaim } from '../claims/store.ts';
import { systemPrincipal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import { columnsOf } from '../platform/db/columns.ts';
import { holdWrites, writeHeld } from '../platform/db/held-writes.ts';
import type { Tx } from '../platform/db/sql.ts';
import {
  CUSTOMER_DATA_KEY_COLUMNS,
  type CustomerDataKeyColumns,
  customerOwnerOf,
  knownCustomerDataKey,
} from '../privacy/data-keys.ts';
import { post } from './ledger-store.ts';
import { lockPayoutOfClaim } from './payout-holds.ts';
import { DEFAULT_PAYOUT_LEASE_MS, MAX_PAYOUT_ATTEMPTS, PAYOUT_COLUMNS, type PayoutRow } from './payouts.ts';
import { payoutSettled } from './postings.ts';
import { openClaimantRecovery, openRecovery } from './recoveries.ts';

const worker = systemPrincipal('payout-worker');

/** 30 s, 1 min, 2 min … capped at 6 h, with ±20 % jitter so retries of many payouts spread out. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * A payout that is due and not leased. A pending one goes only while its claim is approved with
 * no open referral: nothing is paid while a flag is open. An executing one whose lease ended is
 * always taken over, since the provider may have paid and must be asked again with the same key.
 */
const dueAndUnlocked = (now: Date) =>
  sql<boolean>`payouts.next_attempt_at <= ${now}
    and (payouts.lease_until is null or payouts.lease_until <= ${now})
    and (payouts.status = 'executing' or (payouts.status = 'pending'
      and exists (select 1 from claims where claims.id = payouts.claim_id and claims.status = 'approved')
      and not exists (select 1 from referrals where referrals.claim_id = payouts.claim_id and referrals.status = 'open')))`;

/**
 * Step 1: take one due payout and lease it, in one statement (the classic queue pattern: the
 * subquery locks a due row others have not locked, the update leases it). The lease is committed
 * before the provider is called, so if this process dies mid-call the payout stays visible as
 * `executing` and another worker takes it over when the lease ends.
 */
async function leaseNextPayout(ctx: AppContext, leaseMs: number): Promise<PayoutRow | null> {
  const now = ctx.clock.now();
  const { rows } = await sql<PayoutRow>`
    update payouts set status = 'executing', attempts = attempts + 1,
      lease_until = ${new Date(now.getTime() + leaseMs)}
    where id = (select id from payouts where ${dueAndUnlocked(now)}
      order by next_attempt_at limit 1 for update skip locked)
    returning *`.execute(ctx.db);
  return rows[0] ?? null;
}

/** What the provider is asked to pay for a payout (its id is the provider's idempotency key). */
const paymentOf = (payout: PayoutRow) => ({
  payoutId: payout.id,
  claimId: payout.claim_id,
  customerId: payout.customer_id,
  amount: payout.amount,
  currency: payout.currency,
});

/**
 * Settles a payout once, in the caller's transaction, which holds the claim's lock and then the
 * payout's (re-read under it): a second settlement (a worker that took over after a lease ended,
 * or a replayed provider answer) finds it settled and stops.
 */
async function settlePayout(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  payout: PayoutRow,
  reference: string,
  options: { countAttempt?: boolean } = {},
): Promise<void> {
  // The claim stays locked until commit, so its history can be held and written by the
  // settlement's last statement, the three events in one insert (claims/history.ts). The payout,
  // locked too and read by nothing else here, is updated by that statement as well.
  holdClaimHistory(tx, claim.id);
  const now = ctx.clock.now();
  holdWrites(tx, () => [
    (qc) =>
      qc
        .updateTable('payouts')
        .set({
          ...(options.countAttempt ? { attempts: payout.attempts + 1 } : {}),
          status: 'settled',
          settled_at: now,
          provider_reference: reference,
          lease_until: null,
          last_error: null,
        })
        .where('id', '=', payout.id),
  ]);
  await post(tx, ctx.clock, {
    marketplaceId: payout.marketplace_id,
    currency: payout.currency,
    claimId: payout.claim_id,
    posting: payoutSettled(payout.customer_id, payout.amount),
  });
  const paid = await moveClaim(tx, ctx.clock, claim, 'paid', {
    type: 'claim.paid',
    actor: worker,
    reason: 'payout_settled',
    data: { payoutId: payout.id, reference, amount: payout.amount, payer: payout.payer },
  });
  // A flag raised while the provider was being asked: the money left, so the claimant owes it back.
  if (payout.held_at) {
    await openClaimantRecovery(tx, ctx, paid, {
      amount: payout.amount,
      actor: worker,
      reason: 'flagged_after_payment',
    });
  } else {
    await openRecovery(tx, ctx, paid, worker);
  }
  await writeHeld(tx);
}

async function recordAttempt(
  ctx: AppContext,
  payout: PayoutRow,
  result: Awaited<ReturnType<AppContext['payments']['pay']>>,
) {
  await ctx.db.transaction().execute(async (tx) => {
    // The claim is locked before the payout, in the order a flag on the claim takes them, so a
    // late flag and this settlement queue behind each other instead of deadlocking.
    const claim = await lockClaim(tx, payout.claim_id);
    if (!claim) throw new Error(`payout ${payout.id} has no claim`);
    const current = await lockPayoutOfClaim(tx, payout.claim_id);
    if (!current || current.id !== payout.id) throw new Error(`payout ${payout.id} is gone`);
    if (current.status === 'settled' || current.status === 'failed') return;
    if (result.outcome === 'settled') {
      await settlePayout(tx, ctx, claim, current, result.reference);
      return;
    }
    const now = ctx.clock.now();
    if (current.held_at) {
      // The provider did not pay and a flag came meanwhile: the payout waits for a person.
      await tx
        .updateTable('payouts')
        .set({ status: 'held', last_error: result.reason, lease_until: null, next_attempt_at: null })
        .where('id', '=', payout.id)
        .execute();
      await sendHeldClaimToReview(tx, ctx, claim, { reason: FLAGGED_AFTER_APPROVAL, actor: worker });
      return;
    }
    const giveUp = result.outcome === 'rejected' || current.attempts >= MAX_PAYOUT_ATTEMPTS;
    await tx
      .updateTable('payouts')
      .set({
        status: giveUp ? 'failed' : 'pending',
        last_error: result.reason,
        lease_until: null,
        next_attempt_at: giveUp ? null : new Date(now.getTime() + retryDelayMs(current.attempts)),
      })
      .where('id', '=', payout.id)
      .execute();
    if (giveUp) {
      await recordClaimEvent(tx, ctx.clock, claim, {
        type: 'claim.payout_failed',
        actor: worker,
        reason: result.reason,
        data: { payoutId: payout.id, attempts: current.attempts },
      });
    }
  });
}

// Named columns, not `*`, so the settlement's statements are kept prepared (platform/db/columns.ts).
const CLAIM_SELECT = columnsOf('claims', CLAIM_COLUMNS);
const PAYOUT_SELECT = columnsOf('payouts', PAYOUT_COLUMNS);

/**
 * With a provider whose payment is the ledger entry (settlesInLedger), one transaction settles one
 * due payout: the claim is locked first, skipping a claim another worker or a flag holds, then the
 * payout, re-read under the claim's lock with the same conditions (a referral opened since the
 * first statement's snapshot is seen). Nothing leaves the database, so a crash rolls it all back
 * and the payout is simply still due; a lease would only add a transaction (and, on PGlite, a
 * second wait for its one connection behind the filings in flight).
 */
async function settleNextInLedger(ctx: AppContext, waitForHeldClaims: boolean): Promise<PayoutStep> {
  return ctx.db.transaction().execute(async (tx) => {
    const now = ctx.clock.now();
    // The claimant's data key comes with the claim, for opening it, instead of by a statement of
    // its own. It cannot be destroyed meanwhile: an erasure locks the claim and is refused while
    // its payout is pending or executing (privacy/retention.ts).
    const nextClaim = async (skipLocked: boolean) =>
      (
        await sql<ClaimRow & CustomerDataKeyColumns>`
          select ${CLAIM_SELECT}, ${CUSTOMER_DATA_KEY_COLUMNS}
          from payouts join claims on claims.id = payouts.claim_id
          left join data_keys dk on dk.owner = ${customerOwnerOf('claims.customer_id')}
          where ${dueAndUnlocked(now)}
            -- the locked claim's own row, re-checked once a lock waited for is granted
            and (payouts.status = 'executing' or claims.status = 'approved')
          order by payouts.next_attempt_at limit 1
          for update of claims ${skipLocked ? sql`skip locked` : sql``}`.execute(tx)
      ).rows[0];
    // Skipping claims other workers hold spreads the lanes over different payouts; but after a
    // wake-up, a claim held by something else for a moment (its filing's request, a deadline)
    // must not leave its payout to the next poll, so when every due payout's claim is held, this
    // waits for one. The poll's pass does not: it would pay one more statement at every pass.
    const found = (await nextClaim(true)) ?? (waitForHeldClaims ? await nextClaim(false) : undefined);
    if (!found) return 'none';
    const { dk_found, dk_wrapped_key, dk_master_key_id, ...locked } = found;
    knownCustomerDataKey(tx, locked.customer_id, { dk_found, dk_wrapped_key, dk_master_key_id });
    const { rows: payouts } = await sql<PayoutRow>`
      select ${PAYOUT_SELECT} from payouts where claim_id = ${locked.id} and ${dueAndUnlocked(now)}
      for update`.execute(tx);
    const payout = payouts[0];
    // Settled or held between the two statements: this claim is done with, look again.
    if (!payout) return 'raced';
    const result = await ctx.payments.pay(paymentOf(payout));
    if (result.outcome !== 'settled') throw new Error(`${ctx.payments.name} did not settle ${payout.id}`);
    const claim = await openClaim(tx, locked);
    await settlePayout(tx, ctx, claim, payout, result.reference, { countAttempt: true });
    return 'paid';
  });
}

/**
 * What one step did: asked the provider (or settled in the ledger), found nothing due, or found
 * the payout it chose taken by another worker meanwhile (look again).
 */
export type PayoutStep = 'paid' | 'none' | 'raced';

/**
 * Pays one due payout. With an outside provider: leased (committed),
 * the provider asked, the answer recorded. Safe with any number of callers in any number of
 * processes: each payout is leased by one, the provider de-duplicates by payout id, and
 * settlement happens once under the claim's and the payout's locks.
 */
export async function payNextDuePayout(
  ctx: AppContext,
  options: { leaseMs?: number; woken?: boolean } = {},
): Promise<PayoutStep> {
  if (ctx.payments.settlesInLedger) return settleNextInLedger(ctx, options.woken ?? false);
  const payout = await leaseNextPayout(ctx, options.leaseMs ?? DEFAULT_PAYOUT_LEASE_MS);
  if (!payout) return 'none';
  const result = await ctx.payments
    .pay(paymentOf(payout))
    .catch((error: Error) => ({ outcome: 'retry' as const, reason: error.message }));
  await recordAttempt(ctx, payout, result);
  return 'paid';
}

/**
 * How many payouts one pass executes side by side: a provider that is slow for one payout (a
 * timeout is 10 s) does not hold up the others, and a burst is settled several at a time.
 */
export const PAYOUT_LANES = 4;

/** Executes every payout that is due, `lanes` at a time (see payNextDuePayout). */
export async function runDuePayouts(
  ctx: AppContext,
  options: { max?: number; leaseMs?: number; lanes?: number } = {},
): Promise<number> {
  const max = options.max ?? 1_000;
  let handled = 0;
  const lane = async () => {
    // Bounded even if races were lost forever: a pass is one of many.
    for (let looks = 0; handled < max && looks < 2 * max; looks++) {
      handled++; // counted before the await, so lanes together never take more than max
      const step = await payNextDuePayout(ctx, options);
      if (step !== 'paid') handled--;
      if (step === 'none') return;
    }
  };
  if (max < 1) return 0;
  // One look first: a pass with nothing due (nearly every pass) costs one lane's statement, not four.
  handled++;
  const first = await payNextDuePayout(ctx, options);
  if (first !== 'paid') handled--;
  if (first === 'none') return 0;
  await Promise.all(Array.from({ length: Math.max(1, options.lanes ?? PAYOUT_LANES) }, lane));
  return handled;
}
