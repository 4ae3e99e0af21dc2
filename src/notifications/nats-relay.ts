import type { JetStreamClient, NatsConnection } from 'nats';
import type { AppContext } from '../platform/context.ts';

export const NATS_STREAM = 'REDRESS';
// nats' StringCodec encodes with a TextEncoder too; this one needs no import of nats.
const encoder = new TextEncoder();

export interface NatsRelay {
  js: JetStreamClient;
  close(): Promise<void>;
}

/**
 * Connects and makes sure the stream exists: subjects `redress.>`, de-duplicated by event id.
 * The client (54 modules) is imported here, so only a server with NATS_URL loads it.
 */
export async function connectNatsRelay(url: string): Promise<NatsRelay> {
  const { connect, RetentionPolicy } = await import('nats');
  const nc: NatsConnection = await connect({ servers: url });
  const jsm = await nc.jetstreamManager();
  try {
    await jsm.streams.info(NATS_STREAM);
  } catch {
    await jsm.streams.add({
      name: NATS_STREAM,
      subjects: ['redress.>'],
      retention: RetentionPolicy.Limits,
      duplicate_window: 3_600_000_000_000,
    });
  }
  return { js: nc.jetstream(), close: () => nc.drain() };
}

/**
 * Publishes new outbox rows to JetStream in id order. Each message carries the event id as its
 * Nats-Msg-Id, so a row published twice (a crash before it was marked) is stored once.
 */
export async function relayToNats(ctx: AppContext, options: { batch?: number } = {}): Promise<number> {
  const relay = ctx.notifications.nats;
  if (!relay) return 0;
  const rows = await ctx.db
    .selectFrom('outbox')
    .selectAll()
    .where('relayed_at', 'is', null)
    .orderBy('id')
    .limit(options.batch ?? 500)
    .execute();
  for (const row of rows) {
    const body = JSON.stringify({
      id: row.event_id,
      type: row.event_type,
      timestamp: row.created_at.toISOString(),
      marketplaceId: row.marketplace_id,
      data: row.payload,
    });
    await relay.js.publish(`redress.${row.event_type}`, encoder.encode(body), { msgID: row.event_id });
    await ctx.db
      .updateTable('outbox')
      .set({ relayed_at: ctx.clock.now() })
      .where('id', '=', row.id)
      .execute();
  }
  return rows.length;
}
