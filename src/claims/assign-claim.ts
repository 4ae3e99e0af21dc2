import { z } from 'zod';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError, unprocessable } from '../platform/errors.ts';
import { requireClaimActor } from './access.ts';
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

/** The name an agent is shown by: its key's label, else its key id. */
async function agentName(tx: Tx, keyId: string): Promise<string> {
  const key = await tx
    .selectFrom('api_keys')
    .select(['id', 'role', 'label', 'revoked_at'])
    .where('id', '=', keyId)
    .executeTakeFirst();
  if (!key || key.revoked_at !== null || (key.role !== 'agent' && key.role !== 'admin'))
    throw unprocessable('body.owner', `${keyId} is not an active agent`);
  return key.label ?? key.id;
}

/**
 * An agent takes an open claim, hands it to another agent, or releases it. Ownership says who
 * works it (the "mine" queue); it grants nothing: every agent may still act on every claim.
 */
export async function assignClaim(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  request: z.infer<typeof ZAssignmentRequest>,
): Promise<ClaimRow> {
  const claim = requireClaimActor(principal, await lockClaim(tx, claimId), claimId, ['agent', 'admin']);
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
  const ownerName = ownerId ? await agentName(tx, ownerId) : null;
  return recordClaimEvent(
    tx,
    ctx.clock,
    claim,
    {
      type: 'claim.assigned',
      actor: principal,
      reason: request.reason ?? null,
      data: { ownerId, ownerName, previousOwnerId: claim.owner_id },
    },
    { owner_id: ownerId, owner_name: ownerName, owner_since: ownerId ? ctx.clock.now() : null },
  );
}
