import type { Updateable } from 'kysely';
import type { Principal } from '../platform/auth/roles.ts';
import type { Clock } from '../platform/clock.ts';
import type { ClaimsTable } from '../platform/db/database.ts';
import type { Queryable, Tx } from '../platform/db/sql.ts';
import { json } from '../platform/db/sql.ts';
import { newId } from '../platform/ids.ts';
import { outboxRow } from '../platform/outbox.ts';
import type { ClaimEventType } from './events.ts';
import { eventHash } from './history-chain.ts';
import { assertTransition, type ClaimStatus } from './lifecycle.ts';
import type { ClaimRow } from './store.ts';

export interface ClaimEventInput {
  type: ClaimEventType;
  actor: Principal;
  reason?: string | null;
  data?: Record<string, unknown>;
}

type ClaimChanges = Omit<Updateable<ClaimsTable>, 'id' | 'last_event_seq' | 'last_event_hash' | 'status'>;

/**
 * Appends one event to a locked claim's history (chained to the previous one by hash), and
 * the matching outbox message, and applies `changes` to the claim, all in the caller's
 * transaction. Returns the claim as it now is.
 */
export async function recordClaimEvent(
  tx: Tx,
  clock: Clock,
  claim: ClaimRow,
  event: ClaimEventInput,
  changes: ClaimChanges & { status?: string } = {},
): Promise<ClaimRow> {
  const at = clock.now();
  const seq = claim.last_event_seq + 1;
  const id = newId('event', clock);
  const data = event.data ?? {};
  const actor = { role: event.actor.role, id: event.actor.partyId ?? event.actor.keyId };
  const hash = eventHash(claim.last_event_hash, {
    id,
    seq,
    type: event.type,
    at: at.toISOString(),
    actor,
    reason: event.reason ?? null,
    data,
  });
  // The claim as it will be, for the outbox payload: the fields it carries are plain values.
  const after = { ...claim, ...changes } as ClaimRow;
  const message = outboxRow({
    eventId: id,
    eventType: event.type,
    marketplaceId: claim.marketplace_id,
    aggregateType: 'claim',
    aggregateId: claim.id,
    at,
    payload: {
      claimId: claim.id,
      sellerId: after.seller_id,
      customerId: after.customer_id,
      status: after.status,
      payer: after.payer,
      stepIn: after.step_in,
      reason: event.reason ?? null,
      data,
    },
  });
  // One statement, one round trip: the event, its outbox message and the claim's new state
  // (data-modifying CTEs run in the same snapshot and all or nothing).
  return tx
    .with('event_row', (db) =>
      db.insertInto('claim_events').values({
        claim_id: claim.id,
        seq,
        id,
        type: event.type,
        at,
        actor_role: actor.role,
        actor_id: actor.id,
        request_id: event.actor.requestId,
        reason: event.reason ?? null,
        data: json(data),
        prev_hash: claim.last_event_hash,
        hash,
      }),
    )
    .with('outbox_row', (db) => db.insertInto('outbox').values(message))
    .updateTable('claims')
    .set({ ...changes, last_event_seq: seq, last_event_hash: hash, updated_at: at })
    .where('id', '=', claim.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Moves a locked claim to another status, if the transition table allows it, and records why. */
export async function moveClaim(
  tx: Tx,
  clock: Clock,
  claim: ClaimRow,
  to: ClaimStatus,
  event: ClaimEventInput,
  changes: ClaimChanges = {},
): Promise<ClaimRow> {
  assertTransition(claim.id, claim.status as ClaimStatus, to);
  return recordClaimEvent(
    tx,
    clock,
    claim,
    { ...event, data: { from: claim.status, to, ...event.data } },
    {
      ...changes,
      status: to,
    },
  );
}

export const listClaimEvents = (db: Queryable, claimId: string) =>
  db.selectFrom('claim_events').selectAll().where('claim_id', '=', claimId).orderBy('seq').execute();
