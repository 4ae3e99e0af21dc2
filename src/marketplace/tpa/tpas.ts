import { z } from 'zod';
import { recordClaimEvent } from '../../claims/history.ts';
import { OPEN_STATUSES } from '../../claims/lifecycle.ts';
import { lockClaim } from '../../claims/store.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Queryable, Tx } from '../../platform/db/sql.ts';
import { AppError, forbidden, notFound, unprocessable } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { ZExternalId } from '../schemas.ts';

/**
 * Third-party administrators (docs/tpa.md): outside firms an admin assigns to marketplaces,
 * where they work the claims as the marketplace's claims agent. This file keeps the firm, its
 * marketplaces and the log of every assignment and unassignment; what an assignment opens is
 * decided in src/claims/access.ts.
 */

export const ZTpaRequest = z
  .object({ name: z.string().trim().min(1).max(200).describe('The firm, as people read it') })
  .meta({ example: { name: 'Crawford Claims Services' } });

export const ZTpaAssignmentRequest = z
  .object({
    reason: z
      .string()
      .trim()
      .max(500)
      .optional()
      .describe('Why, for the assignment log: the contract or the request it answers'),
  })
  .meta({ example: { reason: 'Claims administration agreement of 2026-11-01' } });

const TPA_EXAMPLE = {
  id: 'tpa_crawford',
  name: 'Crawford Claims Services',
  marketplaces: [{ marketplaceId: 'mkt_us', assignedAt: '2026-11-16T15:00:00.000Z' }],
  log: [
    {
      marketplaceId: 'mkt_us',
      action: 'assigned' as const,
      reason: 'Claims administration agreement of 2026-11-01',
      at: '2026-11-16T15:00:00.000Z',
      actor: { role: 'admin', id: 'key_01jd8x4m2k3n5p7q9r1s3t5v7w' },
    },
  ],
};

export const ZTpa = z
  .object({
    id: z.string().describe('The TPA id: the partyId of its keys (role tpa)'),
    name: z.string(),
    marketplaces: z
      .array(z.object({ marketplaceId: z.string(), assignedAt: z.string() }))
      .describe('The marketplaces it works claims for now'),
    log: z
      .array(
        z.object({
          marketplaceId: z.string(),
          action: z.enum(['assigned', 'unassigned']),
          reason: z.string().nullable(),
          at: z.string(),
          actor: z
            .object({ role: z.string(), id: z.string().nullable() })
            .describe('Who assigned or unassigned'),
        }),
      )
      .describe('Every assignment and unassignment, oldest first; never edited'),
  })
  .meta({ id: 'Tpa', description: 'A third-party administrator and its marketplaces', example: TPA_EXAMPLE });

export type TpaView = z.infer<typeof ZTpa>;
export const ZTpaParams = z.object({
  id: ZExternalId.describe('The TPA id: the partyId of its keys').meta({ example: 'tpa_crawford' }),
});
export const ZTpaMarketplaceParams = ZTpaParams.extend({
  marketplaceId: ZExternalId.describe('The marketplace it works for').meta({ example: 'mkt_us' }),
});
export { TPA_EXAMPLE };

const actorOf = (principal: Principal) => ({
  role: principal.role,
  id: principal.partyId ?? principal.keyId,
});

export async function putTpa(tx: Tx, clock: Clock, id: string, request: z.infer<typeof ZTpaRequest>) {
  const now = clock.now();
  await tx
    .insertInto('tpas')
    .values({ id, name: request.name, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ name: request.name, updated_at: now }))
    .execute();
  return tpaView(tx, id);
}

/** A TPA as an admin sees it, or the TPA itself (its own record only: any other is 404). */
export async function findTpa(db: Queryable, principal: Principal, id: string): Promise<TpaView> {
  if (principal.role === 'tpa' && principal.partyId !== id) throw notFound('tpa', id);
  return tpaView(db, id);
}

async function tpaView(db: Queryable, id: string): Promise<TpaView> {
  const tpa = await db.selectFrom('tpas').selectAll().where('id', '=', id).executeTakeFirst();
  if (!tpa) throw notFound('tpa', id);
  const marketplaces = await db
    .selectFrom('tpa_marketplaces')
    .selectAll()
    .where('tpa_id', '=', id)
    .orderBy('marketplace_id')
    .execute();
  const log = await db
    .selectFrom('tpa_assignment_log')
    .selectAll()
    .where('tpa_id', '=', id)
    .orderBy('id')
    .execute();
  return {
    id: tpa.id,
    name: tpa.name,
    marketplaces: marketplaces.map((m) => ({
      marketplaceId: m.marketplace_id,
      assignedAt: new Date(m.assigned_at).toISOString(),
    })),
    log: log.map((l) => ({
      marketplaceId: l.marketplace_id,
      action: l.action,
      reason: l.reason,
      at: new Date(l.at).toISOString(),
      actor: { role: l.actor_role, id: l.actor_id },
    })),
  };
}

export async function listTpas(db: Queryable): Promise<TpaView[]> {
  const ids = await db.selectFrom('tpas').select('id').orderBy('id').execute();
  const views = [];
  for (const { id } of ids) views.push(await tpaView(db, id));
  return views;
}

async function requireTpaAndMarketplace(tx: Tx, tpaId: string, marketplaceId: string) {
  const tpa = await tx.selectFrom('tpas').select('id').where('id', '=', tpaId).forUpdate().executeTakeFirst();
  if (!tpa) throw notFound('tpa', tpaId);
  const market = await tx
    .selectFrom('marketplaces')
    .select('id')
    .where('id', '=', marketplaceId)
    .executeTakeFirst();
  if (!market) throw unprocessable('params.marketplaceId', `marketplace ${marketplaceId} does not exist`);
}

/**
 * An admin assigns a TPA to a marketplace: from its next request the TPA sees and works that
 * marketplace's claims. Assigning it again changes nothing and logs nothing.
 */
export async function assignTpa(
  tx: Tx,
  clock: Clock,
  principal: Principal,
  tpaId: string,
  marketplaceId: string,
  request: z.infer<typeof ZTpaAssignmentRequest>,
): Promise<TpaView> {
  if (principal.role !== 'admin' && principal.role !== 'system')
    throw forbidden('only an admin assigns a third-party administrator');
  await requireTpaAndMarketplace(tx, tpaId, marketplaceId);
  const now = clock.now();
  const actor = actorOf(principal);
  const added = await tx
    .insertInto('tpa_marketplaces')
    .values({
      tpa_id: tpaId,
      marketplace_id: marketplaceId,
      assigned_at: now,
      assigned_by_role: actor.role,
      assigned_by_id: actor.id,
    })
    .onConflict((oc) => oc.columns(['tpa_id', 'marketplace_id']).doNothing())
    .returning('tpa_id')
    .executeTakeFirst();
  if (added) await logAssignment(tx, clock, principal, tpaId, marketplaceId, 'assigned', request.reason);
  return tpaView(tx, tpaId);
}

/**
 * An admin ends a TPA's assignment to a marketplace: at its next request the TPA no longer sees
 * that marketplace's claims (404 as for any claim not its own), and the open claims it owned
 * there go back to the unassigned queue so no claim waits on someone who cannot open it.
 */
export async function unassignTpa(
  tx: Tx,
  clock: Clock,
  principal: Principal,
  tpaId: string,
  marketplaceId: string,
  request: z.infer<typeof ZTpaAssignmentRequest>,
): Promise<{ tpa: TpaView; releasedClaims: number }> {
  if (principal.role !== 'admin' && principal.role !== 'system')
    throw forbidden('only an admin unassigns a third-party administrator');
  await requireTpaAndMarketplace(tx, tpaId, marketplaceId);
  const removed = await tx
    .deleteFrom('tpa_marketplaces')
    .where('tpa_id', '=', tpaId)
    .where('marketplace_id', '=', marketplaceId)
    .returning('tpa_id')
    .executeTakeFirst();
  if (!removed) throw new AppError('conflict', `${tpaId} is not assigned to ${marketplaceId}`);
  await logAssignment(tx, clock, principal, tpaId, marketplaceId, 'unassigned', request.reason);
  const tpaKeys = tx
    .selectFrom('api_keys')
    .select('id')
    .where('role', '=', 'tpa')
    .where('party_id', '=', tpaId);
  const owned = await tx
    .selectFrom('claims')
    .select('id')
    .where('marketplace_id', '=', marketplaceId)
    .where('owner_id', 'in', tpaKeys)
    .where('status', 'in', OPEN_STATUSES)
    .orderBy('id')
    .execute();
  for (const { id } of owned) {
    const claim = await lockClaim(tx, id);
    if (!claim?.owner_id) continue;
    await recordClaimEvent(
      tx,
      clock,
      claim,
      {
        type: 'claim.assigned',
        actor: principal,
        reason: 'tpa_unassigned',
        data: { ownerId: null, ownerName: null, previousOwnerId: claim.owner_id },
      },
      { owner_id: null, owner_name: null, owner_since: null },
    );
  }
  return { tpa: await tpaView(tx, tpaId), releasedClaims: owned.length };
}

async function logAssignment(
  tx: Tx,
  clock: Clock,
  principal: Principal,
  tpaId: string,
  marketplaceId: string,
  action: 'assigned' | 'unassigned',
  reason: string | undefined,
): Promise<void> {
  const actor = actorOf(principal);
  await tx
    .insertInto('tpa_assignment_log')
    .values({
      id: newId('tpaAssignment', clock),
      tpa_id: tpaId,
      marketplace_id: marketplaceId,
      action,
      reason: reason ?? null,
      at: clock.now(),
      actor_role: actor.role,
      actor_id: actor.id,
    })
    .execute();
}
