import type { Queryable } from './db/sql.ts';
import { jsonText } from './db/sql.ts';

export interface OutgoingMessage {
  eventId: string;
  eventType: string;
  marketplaceId: string | null;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  at: Date;
}

/**
 * Writes a message for the outside world in the caller's transaction: it is sent if and only
 * if the change that caused it commits. Delivery (webhooks, e-mail, streams) reads this table.
 */
export async function enqueueOutgoing(db: Queryable, message: OutgoingMessage): Promise<void> {
  await db.insertInto('outbox').values(outboxRow(message)).execute();
}

/** The outbox row of a message, for callers that insert it as part of a larger statement. */
export const outboxRow = (message: OutgoingMessage) =>
  outboxRowOfText({ ...message, payload: JSON.stringify(message.payload) });

/** The same row with the payload already serialised (a reusable statement's value). */
export const outboxRowOfText = (message: Omit<OutgoingMessage, 'payload'> & { payload: string }) => ({
  event_id: message.eventId,
  event_type: message.eventType,
  marketplace_id: message.marketplaceId,
  aggregate_type: message.aggregateType,
  aggregate_id: message.aggregateId,
  payload: jsonText(message.payload),
  created_at: message.at,
});
