import type { Selectable } from 'kysely';
import type { ClaimRow } from '../claims/store.ts';
import type { AppContext } from '../platform/context.ts';
import { allColumns } from '../platform/db/columns.ts';
import type { PayoutsTable } from '../platform/db/database.ts';
import { perTransaction } from '../platform/db/per-transaction.ts';
import { reusableStatement } from '../platform/db/reusable-statement.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { post } from './ledger-store.ts';
import { claimAccrualReversed, claimAccrued } from './postings.ts';

/** How long a worker may hold a payout it is executing before another may take it over. */
export const DEFAULT_PAYOUT_LEASE_MS = 60_000;
export const MAX_PAYOUT_ATTEMPTS = 12;

export type PayoutRow = Selectable<PayoutsTable>;

/** A payout row's columns, for a statement kept prepared (platform/db/columns.ts). */
// biome-ignore format: column names, several to a line
export const PAYOUT_COLUMNS = allColumns<PayoutsTable>()([
  'id', 'claim_id', 'marketplace_id', 'customer_id', 'payer', 'amount', 'currency', 'provider',
  'status', 'attempts', 'next_attempt_at', 'lease_until', 'provider_reference', 'last_error',
  'created_at', 'settled_at', 'held_at', 'hold_reason',
]);

/** Payouts queued by a transaction, as inserted: a filing answers with its payout without reading it. */
const queuedPayouts = perTransaction(() => new Map<string, PayoutRow>());

/** The payout this transaction queued for a claim, if it queued one. */
export const payoutQueuedIn = (tx: Tx, claimId: string): PayoutRow | undefined =>
  queuedPayouts.peek(tx)?.get(claimId);

/**
 * A new payout of the marketplace's, pending from `due`; a payout cancelled on a flag comes back
 * if the claim is approved again (on appeal). Every marketplace-paid filing queues one: built
 * and compiled once (reusable-statement.ts).
 */
const queuePayout = reusableStatement(
  (
    db,
    v: {
      id: string;
      claimId: string;
      marketplaceId: string;
      customerId: string;
      currency: string;
      provider: string;
      createdAt: Date;
      amount: number;
      due: Date;
    },
  ) => {
    const queued = {
      amount: v.amount,
      status: 'pending',
      next_attempt_at: v.due,
      lease_until: null,
      last_error: null,
      held_at: null,
      hold_reason: null,
    } as const;
    return db
      .insertInto('payouts')
      .values({
        id: v.id,
        claim_id: v.claimId,
        marketplace_id: v.marketplaceId,
        customer_id: v.customerId,
        payer: 'marketplace',
        currency: v.currency,
        provider: v.provider,
        provider_reference: null,
        created_at: v.createdAt,
        settled_at: null,
        ...queued,
      })
      .onConflict((oc) => oc.column('claim_id').doUpdateSet(queued).where('payouts.status', '=', 'cancelled'))
      .returning(PAYOUT_COLUMNS);
  },
);

/**
 * The marketplace pays an approved claim: the cost is booked and a payout is queued, in the
 * claim's transaction. The payout row is unique per claim, so a claim is never queued twice.
 */
export async function queueMarketplacePayout(tx: Tx, ctx: AppContext, claim: ClaimRow): Promise<void> {
  const amount = claim.approved_amount ?? claim.amount;
  const now = ctx.clock.now();
  // A claim filed saying photos are coming is not paid before they have been screened.
  const due = claim.evidence_due_at && claim.evidence_due_at > now ? claim.evidence_due_at : now;
  const [inserted] = await queuePayout(tx, {
    id: newId('payout', ctx.clock),
    claimId: claim.id,
    marketplaceId: claim.marketplace_id,
    customerId: claim.customer_id,
    currency: claim.currency,
    provider: ctx.payments.name,
    createdAt: now,
    amount,
    due,
  });
  if (!inserted) throw new AppError('conflict', `claim ${claim.id} already has a payment`);
  queuedPayouts.of(tx).set(claim.id, inserted);
  await post(tx, ctx.clock, {
    marketplaceId: claim.marketplace_id,
    currency: claim.currency,
    claimId: claim.id,
    posting: claimAccrued(claim.customer_id, amount),
  });
}

export const findPayoutForClaim = (db: Tx | AppContext['db'], claimId: string) =>
  db.selectFrom('payouts').selectAll().where('claim_id', '=', claimId).executeTakeFirst();

/**
 * A claimant withdraws an approved claim the marketplace was about to pay: the queued payout
 * is cancelled and its cost reversed. Once the provider has been asked, money may be moving,
 * so the withdrawal is refused rather than risk paying a withdrawn claim.
 */
export async function cancelQueuedPayout(tx: Tx, ctx: AppContext, claim: ClaimRow): Promise<void> {
  const payout = await tx
    .selectFrom('payouts')
    .selectAll()
    .where('claim_id', '=', claim.id)
    .forUpdate()
    .executeTakeFirst();
  if (payout?.payer !== 'marketplace' || payout.status === 'failed') return;
  if (payout.status !== 'pending' || payout.attempts > 0) {
    throw new AppError(
      'conflict',
      `the payout of claim ${claim.id} is already under way; it can no longer be withdrawn`,
    );
  }
  await tx
    .updateTable('payouts')
    .set({ status: 'failed', last_error: 'claim withdrawn before payment', next_attempt_at: null })
    .where('id', '=', payout.id)
    .execute();
  await post(tx, ctx.clock, {
    marketplaceId: claim.marketplace_id,
    currency: claim.currency,
    claimId: claim.id,
    posting: claimAccrualReversed(claim.customer_id, payout.amount),
  });
}
