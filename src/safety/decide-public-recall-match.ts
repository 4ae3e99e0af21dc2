import { z } from 'zod';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { emitSafetyEvent } from './events.ts';
import { linkProductClaims, type PublicRecallMatchRow, unlinkProductClaims } from './match-public-recalls.ts';
import { pauseListing } from './pause-listing.ts';

export const ZPublicRecallMatchDecision = z
  .discriminatedUnion('decision', [
    z.object({
      decision: z.literal('confirm'),
      pauseListing: z
        .boolean()
        .default(false)
        .describe('Stop sales of the product now (the marketplace and the seller are told)'),
      note: z.string().max(2000).optional(),
    }),
    z.object({
      decision: z.literal('reject'),
      note: z.string().min(1).max(2000).describe('Why the notice is not about this product'),
    }),
  ])
  .meta({
    example: { decision: 'confirm', pauseListing: true, note: 'Same model number on the listing photos' },
  });

/**
 * A safety officer's answer to a matched product. Confirming links the product's open claims
 * to the notice (and may pause the listing); rejecting releases any claim an exact code had
 * linked. Either way the decision is final: a match is decided once.
 */
export async function decidePublicRecallMatch(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  matchId: string,
  answer: z.infer<typeof ZPublicRecallMatchDecision>,
): Promise<PublicRecallMatchRow> {
  const match = await tx
    .selectFrom('public_recall_matches')
    .selectAll()
    .where('id', '=', matchId)
    .forUpdate()
    .executeTakeFirst();
  if (!match) throw notFound('public recall match', matchId);
  if (match.status !== 'pending') {
    throw new AppError('conflict', `match ${matchId} was already ${match.status}`, {
      extra: { currentStatus: match.status },
    });
  }
  const recall = await tx
    .selectFrom('public_recalls')
    .selectAll()
    .where('id', '=', match.public_recall_id)
    .executeTakeFirstOrThrow();
  const now = ctx.clock.now();
  const who = principal.keyId ?? principal.role;
  const claimsChanged =
    answer.decision === 'confirm'
      ? await linkProductClaims(tx, ctx, principal, match.product_id, recall)
      : await unlinkProductClaims(tx, ctx, principal, match.product_id, recall);
  if (answer.decision === 'confirm' && answer.pauseListing) {
    await pauseListing(tx, ctx, match.product_id, match.marketplace_id, {
      alertId: null,
      note: answer.note ?? `public recall ${recall.recall_number}`,
    });
  }
  const decided = await tx
    .updateTable('public_recall_matches')
    .set({
      status: answer.decision === 'confirm' ? 'confirmed' : 'rejected',
      decided_by: who,
      decided_at: now,
      note: answer.note ?? null,
      updated_at: now,
    })
    .where('id', '=', matchId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await emitSafetyEvent(tx, ctx.clock, {
    type: 'safety.public_recall_match_decided',
    marketplaceId: match.marketplace_id,
    subjectId: match.id,
    productId: match.product_id,
    data: {
      decision: answer.decision,
      recallNumber: recall.recall_number,
      publicRecallId: recall.id,
      claimsChanged,
      listingPaused: answer.decision === 'confirm' && answer.pauseListing,
      by: who,
    },
  });
  return decided;
}
