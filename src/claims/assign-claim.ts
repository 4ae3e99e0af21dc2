import { z } from 'zod';
import type { Principal, Role } from '../platform/auth/roles.ts';
import { tpaMarketplaceIds } from '../platform/auth/tpa-scope.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError, unprocessable } from '../platform/errors.ts';
import { CLAIM_HANDLERS, mayOwnClaim, requireClaimActor } from './access.ts';
import { recordClaimEvent } from './history.ts';
import { OPEN_STATUSES } from './lifecycle.ts';
import { type ClaimRow, lockClaim } from './store.ts';

export const ZAssignmentRequest = z
  .object({
    owner: z
      .string()
      .regex(/^(me|key_[0-9a-z]+)$/, 'must be me or an agent key id')
      .nullable()
      .describe('me to take the claim, an agent key id to reassign it, null to release it'),
    reason: z.string().trim().max(500).optional(),
  })
  .meta({ example: { owner: 'me' } });

/**
 * The name the new owner is shown by (its key's label, else its key id), once it is known that
 * it may own this claim (access.ts, mayOwnClaim): an active agent or admin key, or a key of a
 * third-party administrator acting for the claim's marketplace.
 */
async function ownerName(tx: Tx, principal: Principal, claim: ClaimRow, keyId: string): Promise<string> {
  const key = await tx
    .selectFrom('api_keys')
    .select(['id', 'role', 'party_id', 'label', 'revoked_at'])
    .where('id', '=', keyId)
    .executeTakeFirst();
  if (!key || key.revoked_at !== null || !CLAIM_HANDLERS.some((role) => role === key.role))
    throw unprocessable('body.owner', `${keyId} is not an active agent`);
  const ownerMarketplaces =
    key.role === 'tpa' && key.party_id ? await tpaMarketplaceIds(tx, key.party_id) : undefined;
  const owner = { role: key.role as Role, partyId: key.party_id, marketplaceIds: ownerMarketplaces };
  if (!mayOwnClaim(principal, owner, claim))
    throw unprocessable('body.owner', `${keyId} may not work this claim`);
  return key.label ?? key.id;
}

/**
 * An agent takes an open claim, hands it to another agent, or releases it. Ownership says who
 * works it (the "mine" queue); it grants nothing: every agent may still act on every claim (a
 * TPA on every claim of its marketplaces).
 */
export async function assignClaim(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  request: z.infer<typeof ZAssignmentRequest>,
): Promise<ClaimRow> {
  const claim = requireClaimActor(principal, await lockClaim(tx, claimId), claimId, CLAIM_HANDLERS);
  if (!OPEN_STATUSES.includes(claim.status as (typeof OPEN_STATUSES)[number]))
    throw new AppError(
      'invalid_transition',
      `claim ${claimId} is ${claim.status}: only open claims are worked`,
      {
        extra: { currentStatus: claim.status },
      },
    );
  const ownerId = request.owner === 'me' ? principal.keyId : request.owner;
  if (request.owner === 'me' && !ownerId)
    throw unprocessable('body.owner', 'this principal has no key to own claims by');
  if (ownerId === claim.owner_id) return claim;
  const name = ownerId ? await ownerName(tx, principal, claim, ownerId) : null;
  return recordClaimEvent(
    tx,
    ctx.clock,
    claim,
    {
      type: 'claim.assigned',
      actor: principal,
      reason: request.reason ?? null,
      data: { ownerId, ownerName: name, previousOwnerId: claim.owner_id },
    },
    { owner_id: ownerId, owner_name: name, owner_since: ownerId ? ctx.clock.now() : null },
  );
}
