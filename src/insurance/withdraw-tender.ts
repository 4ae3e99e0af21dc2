import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { emitInsuranceEvent } from './events.ts';
import type { TenderRow } from './store.ts';
import { OPEN_TENDER_STATUSES, tenderStates } from './tender-states.ts';

/*
 * Withdrawing a tender is asked for by the ledger (a recovery written off) and by the claim (the
 * claimant withdrew), while answering a tender moves claims and recoveries. Kept apart from
 * answer-tender.ts so the ledger can withdraw a tender without importing the code that imports it.
 */

export { OPEN_TENDER_STATUSES } from './tender-states.ts';

/** Every change to a tender passes its transition table (tender-states.ts). */
export async function updateTender(tx: Tx, ctx: AppContext, tender: TenderRow, changes: Partial<TenderRow>) {
  tenderStates.assertMove(tender.id, tender.status, changes.status);
  return tx
    .updateTable('tenders')
    .set({ ...changes, updated_at: ctx.clock.now() })
    .where('id', '=', tender.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** An agent wrote off a tendered recovery: the insurer is no longer asked. */
export const withdrawOpenTender = (tx: Tx, ctx: AppContext, recoveryId: string, note: string) =>
  withdrawTenders(tx, ctx, { column: 'recovery_id', value: recoveryId }, note);

/** The claimant withdrew a claim its seller had tendered: the insurer is no longer asked. */
export const withdrawClaimTender = (tx: Tx, ctx: AppContext, claimId: string, note: string) =>
  withdrawTenders(tx, ctx, { column: 'claim_id', value: claimId }, note);

async function withdrawTenders(
  tx: Tx,
  ctx: AppContext,
  of: { column: 'recovery_id' | 'claim_id'; value: string },
  note: string,
): Promise<void> {
  const open = await tx
    .selectFrom('tenders')
    .selectAll()
    .where(of.column, '=', of.value)
    .where('status', 'in', [...OPEN_TENDER_STATUSES])
    .forUpdate()
    .execute();
  for (const tender of open) {
    await updateTender(tx, ctx, tender, { status: 'withdrawn', decline_reason: note });
    await emitInsuranceEvent(tx, ctx.clock, {
      type: 'insurance.tender_withdrawn',
      marketplaceId: tender.marketplace_id,
      subjectId: tender.id,
      sellerId: tender.seller_id,
      insurerId: tender.insurer_id,
      data: { kind: tender.kind, claimId: tender.claim_id, note },
    });
  }
}
