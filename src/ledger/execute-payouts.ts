import type { Selectable } from 'kysely';
import { moveClaim, recordClaimEvent } from '../claims/history.ts';
import { FLAGGED_AFTER_APPROVAL, sendHeldClaimToReview } from '../claims/hold-flagged-claim.ts';
import { lockClaim } from '../claims/store.ts';
import { systemPrincipal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { PayoutsTable } from '../platform/db/database.ts';
import type { Tx } from '../platform/db/sql.ts';
import { post } from './ledger-store.ts';
import { DEFAULT_PAYOUT_LEASE_MS, MAX_PAYOUT_ATTEMPTS } from './payouts.ts';
import { payoutSettled } from './postings.ts';
import { openClaimantRecovery, openRecovery } from './recoveries.ts';

type PayoutRow = Selectable<PayoutsTable>;

const worker = systemPrincipal('payout-worker');

/** 30 s, 1 min, 2 min … capped at 6 h, with ±20 % jitter so retries of many payouts spread out. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Step 1, its own short transaction: take one due payout and lease it. The lease is committed
 * before the provider is called, so if this process dies mid-call the payout stays visible as
 * `executing` and another worker takes it over when the lease ends.
 */
async function leaseNextPayout(ctx: AppContext, leaseMs: number): Promise<PayoutRow | null> {
  return ctx.db.transaction().execute(async (tx) => {
    const now = ctx.clock.now();
    const payout = await tx
      .selectFrom('payouts')
      .selectAll()
      .where('next_attempt_at', '<=', now)
      // Nothing is paid while a flag is open: a pending payout goes only while its claim is
      // approved with no open referral. An executing one whose lease ended is always taken
      // over, since the provider may have paid and must be asked again with the same key.
      .where((eb) =>
        eb.or([
          eb('status', '=', 'executing'),
          eb.and([
            eb('status', '=', 'pending'),
            eb.exists(
              eb
                .selectFrom('claims')
                .select('claims.id')
                .whereRef('claims.id', '=', 'payouts.claim_id')
                .where('claims.status', '=', 'approved'),
            ),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('referrals')
                  .select('referrals.id')
                  .whereRef('referrals.claim_id', '=', 'payouts.claim_id')
                  .where('referrals.status', '=', 'open'),
              ),
            ),
          ]),
        ]),
      )
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .orderBy('next_attempt_at')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!payout) return null;
    return tx
      .updateTable('payouts')
      .set({
        status: 'executing',
        attempts: payout.attempts + 1,
        lease_until: new Date(now.getTime() + leaseMs),
      })
      .where('id', '=', payout.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/**
 * Settles a payout once: the row is locked and re-read, so a second settlement (a worker that
 * took over after a lease ended, or a replayed provider answer) finds it settled and stops.
 */
export async function settlePayout(
  tx: Tx,
  ctx: AppContext,
  payoutId: string,
  reference: string,
): Promise<boolean> {
  const payout = await tx
    .selectFrom('payouts')
    .selectAll()
    .where('id', '=', payoutId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (payout.status === 'settled') return false;
  const now = ctx.clock.now();
  await tx
    .updateTable('payouts')
    .set({
      status: 'settled',
      settled_at: now,
      provider_reference: reference,
      lease_until: null,
      last_error: null,
    })
    .where('id', '=', payout.id)
    .execute();
  await post(tx, ctx.clock, {
    marketplaceId: payout.marketplace_id,
    currency: payout.currency,
    claimId: payout.claim_id,
    posting: payoutSettled(payout.customer_id, payout.amount),
  });
  const claim = await lockClaim(tx, payout.claim_id);
  if (!claim) throw new Error(`payout ${payout.id} has no claim`);
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
  return true;
}

async function recordAttempt(
  ctx: AppContext,
  payout: PayoutRow,
  result: Awaited<ReturnType<AppContext['payments']['pay']>>,
) {
  await ctx.db.transaction().execute(async (tx) => {
    // The claim is locked before the payout, in the order a flag on the claim takes them, so a
    // late flag and this settlement queue behind each other instead of deadlocking.
    await lockClaim(tx, payout.claim_id);
    const current = await tx
      .selectFrom('payouts')
      .selectAll()
      .where('id', '=', payout.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (current.status === 'settled' || current.status === 'failed') return;
    if (result.outcome === 'settled') {
      await settlePayout(tx, ctx, payout.id, result.reference);
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
      const claim = await lockClaim(tx, payout.claim_id);
      if (claim)
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
      const claim = await lockClaim(tx, payout.claim_id);
      if (claim) {
        await recordClaimEvent(tx, ctx.clock, claim, {
          type: 'claim.payout_failed',
          actor: worker,
          reason: result.reason,
          data: { payoutId: payout.id, attempts: current.attempts },
        });
      }
    }
  });
}

/**
 * Executes every payout that is due. Safe with any number of workers in any number of
 * processes: each payout is leased by one, the provider de-duplicates by payout id, and
 * settlement happens once under the payout's lock.
 */
export async function runDuePayouts(
  ctx: AppContext,
  options: { max?: number; leaseMs?: number } = {},
): Promise<number> {
  const max = options.max ?? 1_000;
  let handled = 0;
  while (handled < max) {
    const payout = await leaseNextPayout(ctx, options.leaseMs ?? DEFAULT_PAYOUT_LEASE_MS);
    if (!payout) break;
    const result = await ctx.payments
      .pay({
        payoutId: payout.id,
        claimId: payout.claim_id,
        customerId: payout.customer_id,
        amount: payout.amount,
        currency: payout.currency,
      })
      .catch((error: Error) => ({ outcome: 'retry' as const, reason: error.message }));
    await recordAttempt(ctx, payout, result);
    handled++;
  }
  return handled;
}
