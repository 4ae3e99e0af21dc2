import { z } from 'zod';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { forbidden, unprocessable } from '../platform/errors.ts';
import { CLAIM_HANDLERS, handlesClaim, requireClaimActor } from './access.ts';
import type { ClaimEventType } from './events.ts';
import { recordClaimEvent } from './history.ts';
import { type ClaimRow, lockClaim } from './store.ts';

export const ZNoteRequest = z
  .object({ note: z.string().trim().min(1).max(10_000) })
  .meta({ example: { note: 'Called the seller: the charger batch was recalled by the maker in October.' } });

export const ZMessageRequest = z
  .object({
    to: z
      .enum(['claimant', 'seller'])
      .optional()
      .describe(
        'Staff: whose thread to write in. A claimant or seller writes in its own thread and omits it',
      ),
    message: z.string().trim().min(1).max(10_000),
  })
  .meta({ example: { to: 'claimant', message: 'Could you tell us where the charger was plugged in?' } });

/**
 * An internal note: staff only, never shown to a party (the catalogue lists no party for
 * `claim.note_added`), sealed with the claimant's key like every text about the incident.
 */
export async function addNote(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  request: z.infer<typeof ZNoteRequest>,
): Promise<ClaimRow> {
  const claim = requireClaimActor(principal, await lockClaim(tx, claimId), claimId, CLAIM_HANDLERS);
  return recordClaimEvent(tx, ctx.clock, claim, {
    type: 'claim.note_added',
    actor: principal,
    data: { notes: request.note },
  });
}

/**
 * A message in one party's thread. Staff write to the claimant or to the seller; each party
 * writes back in its own thread. Which type the event is decides, through the catalogue, that
 * only that party and staff see it, and the outbox e-mails the party staff wrote to.
 */
export async function writeMessage(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  request: z.infer<typeof ZMessageRequest>,
): Promise<ClaimRow> {
  const claim = requireClaimActor(principal, await lockClaim(tx, claimId), claimId, [
    ...CLAIM_HANDLERS,
    'customer',
    'seller',
  ]);
  let type: ClaimEventType;
  if (handlesClaim(principal, claim)) {
    if (!request.to) throw unprocessable('body.to', 'staff must say whose thread: claimant or seller');
    if (request.to === 'seller' && (!claim.seller_id || !claim.seller_notified_at))
      throw unprocessable('body.to', 'the seller has not been told of this claim yet');
    type = request.to === 'claimant' ? 'claim.message_to_claimant' : 'claim.message_to_seller';
  } else {
    const own = principal.role === 'customer' ? 'claimant' : 'seller';
    if (request.to && request.to !== own)
      throw forbidden(`a ${principal.role} writes only in its own thread`);
    type = own === 'claimant' ? 'claim.message_from_claimant' : 'claim.message_from_seller';
  }
  return recordClaimEvent(tx, ctx.clock, claim, {
    type,
    actor: principal,
    data: { message: request.message },
  });
}

/** Which thread a message event belongs to, and which way it went. */
export const MESSAGE_THREADS: Partial<
  Record<ClaimEventType, { thread: 'claimant' | 'seller' | 'internal'; direction: 'in' | 'out' | 'note' }>
> = {
  'claim.message_to_claimant': { thread: 'claimant', direction: 'out' },
  'claim.message_from_claimant': { thread: 'claimant', direction: 'in' },
  'claim.message_to_seller': { thread: 'seller', direction: 'out' },
  'claim.message_from_seller': { thread: 'seller', direction: 'in' },
  'claim.note_added': { thread: 'internal', direction: 'note' },
};
