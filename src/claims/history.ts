import type { Selectable, Updateable } from 'kysely';
import type { Principal } from '../platform/auth/roles.ts';
import type { Clock } from '../platform/clock.ts';
import type { ClaimEventsTable, ClaimsTable } from '../platform/db/database.ts';
import { holdWrites, writeHeld } from '../platform/db/held-writes.ts';
import { reusableStatement } from '../platform/db/reusable-statement.ts';
import type { Queryable, Tx } from '../platform/db/sql.ts';
import { jsonText, storedValue } from '../platform/db/sql.ts';
import { newId } from '../platform/ids.ts';
import { outboxRowOfText } from '../platform/outbox.ts';
import { scheduleTimer } from '../platform/timers.ts';
import { openPersonal, openPersonalJson, sealPersonal, sealPersonalJson } from '../privacy/data-keys.ts';
import { ERASED } from '../privacy/sealing.ts';
import { loadClaimPolicy } from './claim-policy.ts';
import type { ClaimEventType } from './events.ts';
import { eventHash, verifyChain } from './history-chain.ts';
import { assertTransition, type ClaimStatus } from './lifecycle.ts';
import { REVIEW_STATUS, reviewDueAt } from './reviews.ts';
import { type ClaimRow, claimField, openClaim } from './store.ts';
import { CLAIM_TIMERS } from './timer-kinds.ts';

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
  const stored = await sealEventContent(tx, claim, id, event.reason ?? null, data);
  // The hash covers the event as stored, sealed parts included: an erasure destroys the key
  // but changes no stored byte, so the chain verifies before and after (docs/security.md).
  const hash = eventHash(claim.last_event_hash, {
    id,
    seq,
    type: event.type,
    at: at.toISOString(),
    actor,
    reason: stored.reason,
    data: stored.data,
  });
  // The claim as it will be, for the outbox payload: the fields it carries are plain values.
  const after = { ...claim, ...changes } as ClaimRow;
  const payload = {
    claimId: claim.id,
    sellerId: after.seller_id,
    customerId: after.customer_id,
    status: after.status,
    payer: after.payer,
    stepIn: after.step_in,
    reason: event.reason ?? null,
    data,
  };
  const values: AppendedEvent = {
    claimId: claim.id,
    seq,
    id,
    type: event.type,
    at,
    actorRole: actor.role,
    actorId: actor.id,
    requestId: event.actor.requestId,
    reason: stored.reason,
    data: JSON.stringify(stored.data),
    prevHash: claim.last_event_hash,
    hash,
    marketplaceId: claim.marketplace_id,
    payload: JSON.stringify(payload),
  };
  const held = heldHistories.get(tx);
  if (held?.claimId === claim.id) {
    const known = knownAfter(claim, changes);
    if (known) {
      held.events.push(values);
      Object.assign(held.changes, changes);
      return { ...known, last_event_seq: seq, last_event_hash: hash, updated_at: at };
    }
    // A change whose stored value only the database knows: what is held goes first.
    await writeHeld(tx);
  }
  for (const [column, value] of Object.entries(changes)) values[`${CHANGE}${column}`] = value;
  const [row] = await appendClaimEvent(tx, values);
  if (!row) throw new Error(`claim ${claim.id} is not on file: its ${event.type} event was not recorded`);
  // The claim came in opened; its sealed fields are opened again only when this change wrote them.
  if (changes.description !== undefined || changes.damages !== undefined) return openClaim(tx, row);
  return { ...row, description: claim.description, damages: claim.damages };
}

/**
 * A claim's history, held in Node while a use case runs (holdClaimHistory): a new claim's during
 * its filing, or a claim the transaction holds locked (a payout's settlement). Nothing outside
 * the filing's transaction can see a new claim, and every writer of a claim's history locks the
 * claim first, so no other writer can append to its chain meanwhile; each event's hash is
 * computed from the previous one here, as when written at once.
 */
interface HeldHistory {
  claimId: string;
  events: AppendedEvent[];
  changes: Record<string, unknown>;
}

const heldHistories = new WeakMap<Tx, HeldHistory>();

/**
 * Holds a claim's events (a new claim, or one locked `FOR UPDATE` until commit), their outbox
 * messages and its changes until the transaction's last statement (platform/db/held-writes.ts):
 * one multi-row insert of the events, one of the outbox messages and one update of the claim, as
 * data-modifying CTEs, instead of a statement per event. `recordClaimEvent` returns the claim as it
 * will be, computed in Node. The caller must run `writeHeld(tx)` before commit; `lockClaim` runs it
 * before reading the claim again.
 */
export function holdClaimHistory(tx: Tx, claimId: string): void {
  const held: HeldHistory = { claimId, events: [], changes: {} };
  heldHistories.set(tx, held);
  holdWrites(tx, () => {
    heldHistories.delete(tx);
    const last = held.events.at(-1);
    if (!last) return [];
    return [
      (qc) => qc.insertInto('claim_events').values(held.events.map(eventRowOf)),
      (qc) => qc.insertInto('outbox').values(held.events.map(outboxRowOf)),
      (qc) =>
        qc
          .updateTable('claims')
          .set({
            ...(held.changes as ClaimChanges),
            last_event_seq: last.seq,
            last_event_hash: last.hash,
            updated_at: last.at,
          })
          .where('id', '=', claimId),
    ];
  });
}

/** The claim after `changes`, as the database would return it; undefined if only it can tell. */
function knownAfter(claim: ClaimRow, changes: Record<string, unknown>): ClaimRow | undefined {
  // Sealed fields are sealed on write and opened on read: written the usual way.
  if (changes.description !== undefined || changes.damages !== undefined) return undefined;
  const after: Record<string, unknown> = { ...claim };
  for (const [column, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const stored = storedValue(value);
    if (!stored) return undefined;
    after[column] = stored.value;
  }
  return after as ClaimRow;
}

const eventRowOf = (v: AppendedEvent) => ({
  claim_id: v.claimId,
  seq: v.seq,
  id: v.id,
  type: v.type,
  at: v.at,
  actor_role: v.actorRole,
  actor_id: v.actorId,
  request_id: v.requestId,
  reason: v.reason,
  data: jsonText(v.data),
  prev_hash: v.prevHash,
  hash: v.hash,
});

const outboxRowOf = (v: AppendedEvent) =>
  outboxRowOfText({
    eventId: v.id,
    eventType: v.type,
    marketplaceId: v.marketplaceId,
    aggregateType: 'claim',
    aggregateId: v.claimId,
    at: v.at,
    payload: v.payload,
  });

type AppendedEvent = {
  claimId: string;
  seq: number;
  id: string;
  type: string;
  at: Date;
  actorRole: string;
  actorId: string | null;
  requestId: string | null | undefined;
  reason: string | null;
  /** JSON text, as the statement is reused (reusable-statement.ts). */
  data: string;
  prevHash: string;
  hash: string;
  marketplaceId: string;
  payload: string;
  /** The claim's other changed columns, each as `change:<column>`. */
  [change: `change:${string}`]: unknown;
};

const CHANGE = 'change:';

/**
 * One statement, one round trip: the event, its outbox message and the claim's new state
 * (data-modifying CTEs run in the same snapshot and all or nothing). Compiled once per set of
 * changed columns: a filing records several events.
 */
const appendClaimEvent = reusableStatement((db: Queryable, v: AppendedEvent) => {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v)) {
    if (key.startsWith(CHANGE)) changes[key.slice(CHANGE.length)] = value;
  }
  return db
    .with('event_row', (q) => q.insertInto('claim_events').values(eventRowOf(v)))
    .with('outbox_row', (q) => q.insertInto('outbox').values(outboxRowOf(v)))
    .updateTable('claims')
    .set({ ...(changes as ClaimChanges), last_event_seq: v.seq, last_event_hash: v.hash, updated_at: v.at })
    .where('id', '=', v.claimId)
    .returningAll();
});

/**
 * What people write in a claim's history (the claimant's answers and appeal grounds, an
 * agent's reasons, a seller's defence, an insurer's question, an expert's notes) and the
 * itemised losses an answer carries describe the claimant's incident: they are sealed with
 * the claimant's key, whoever wrote them. Reason codes (`payout_settled`, `fire_burn`) are the
 * system's own words and stay readable, so the history still explains itself after an erasure.
 */
const PERSONAL_EVENT_FIELDS = ['damages', 'defense', 'question', 'information', 'notes', 'message'] as const;
const isReasonCode = (reason: string) => /^[a-z0-9_.:-]+$/.test(reason);

async function sealEventContent(
  tx: Tx,
  claim: ClaimRow,
  eventId: string,
  reason: string | null,
  data: Record<string, unknown>,
): Promise<{ reason: string | null; data: Record<string, unknown> }> {
  const field = (name: string) => `${claimField(claim.id, 'event')}:${eventId}:${name}`;
  const sealed = { ...data };
  for (const name of PERSONAL_EVENT_FIELDS) {
    if (data[name] !== undefined && data[name] !== null) {
      sealed[name] = await sealPersonalJson(tx, claim.customer_id, field(name), data[name]);
    }
  }
  return {
    reason:
      reason === null || isReasonCode(reason)
        ? reason
        : await sealPersonal(tx, claim.customer_id, field('reason'), reason),
    data: sealed,
  };
}

/** The reasons and personal fields of stored events, opened; "[erased]" after an erasure. */
export async function openClaimEvents(db: Queryable, customerId: string, events: ClaimEventRow[]) {
  return Promise.all(
    events.map(async (e) => {
      const field = (name: string) => `${claimField(e.claim_id, 'event')}:${e.id}:${name}`;
      const data = { ...e.data };
      for (const name of PERSONAL_EVENT_FIELDS) {
        if (data[name] !== undefined) {
          data[name] = await openPersonalJson(db, customerId, field(name), data[name], ERASED);
        }
      }
      return {
        ...e,
        reason: e.reason === null ? null : await openPersonal(db, customerId, field('reason'), e.reason),
        data,
      };
    }),
  );
}

export type ClaimEventRow = Selectable<ClaimEventsTable>;

/**
 * Moves a locked claim to another status, if the transition table allows it, and records why.
 * A claim entering review gets the review's due time here (reviews.ts), whichever use case
 * sent it, with a timer that escalates it when the time passes; the event carries the date, so
 * the claimant is told when to expect an answer.
 */
export async function moveClaim(
  tx: Tx,
  clock: Clock,
  claim: ClaimRow,
  to: ClaimStatus,
  event: ClaimEventInput,
  changes: ClaimChanges = {},
): Promise<ClaimRow> {
  assertTransition(claim.id, claim.status as ClaimStatus, to);
  const review: ClaimChanges = {};
  let reviewData: Record<string, unknown> = {};
  if (to === REVIEW_STATUS) {
    const { policy, calendar } = await loadClaimPolicy(tx, claim);
    const dueAt = reviewDueAt(clock.now(), policy, calendar);
    review.review_due_at = dueAt;
    review.review_escalated_at = null;
    reviewData = { reviewDueAt: dueAt.toISOString(), timeZone: calendar.timeZone };
    await scheduleTimer(tx, { kind: CLAIM_TIMERS.reviewDue, subjectId: claim.id, dueAt, now: clock.now() });
  }
  return recordClaimEvent(
    tx,
    clock,
    claim,
    { ...event, data: { from: claim.status, to, ...event.data, ...reviewData } },
    {
      ...changes,
      ...review,
      status: to,
    },
  );
}

export const listClaimEvents = (db: Queryable, claimId: string) =>
  db.selectFrom('claim_events').selectAll().where('claim_id', '=', claimId).orderBy('seq').execute();

/** A stored event in the shape its hash covers, with its links. */
export const chainedContent = (e: ClaimEventRow) => ({
  id: e.id,
  seq: e.seq,
  type: e.type,
  at: e.at.toISOString(),
  actor: { role: e.actor_role, id: e.actor_id },
  reason: e.reason,
  data: e.data,
  prevHash: e.prev_hash,
  hash: e.hash,
});

/** Recomputes a claim's chain from what is stored; needs no key, so it works after an erasure. */
export async function verifyClaimChain(db: Queryable, claimId: string) {
  return verifyChain((await listClaimEvents(db, claimId)).map(chainedContent));
}
