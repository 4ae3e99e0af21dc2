import { connect, DeliverPolicy, StringCodec } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNatsRelay, NATS_STREAM, relayToNats } from '../src/notifications/nats-relay.ts';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

const NATS_URL = process.env.NATS_URL;

describe.skipIf(!NATS_URL)('the NATS JetStream relay', () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(async () => {
    await world.ctx.notifications.nats?.close();
    await world.close();
  });

  it('publishes each outbox event once, even when a row is relayed twice', async () => {
    const relay = await connectNatsRelay(NATS_URL as string);
    world.ctx.notifications.nats = relay;
    const since = new Date();
    const keys = await usMarketplace(world);
    const claim = (await fileClaim(world, keys.dana, claimBody())).body;
    expect(await relayToNats(world.ctx)).toBeGreaterThan(0);
    // A crash after publishing but before marking: the rows go out again.
    await world.ctx.db
      .updateTable('outbox')
      .set({ relayed_at: null })
      .where('aggregate_id', '=', claim.id)
      .execute();
    await relayToNats(world.ctx);

    const nc = await connect({ servers: NATS_URL as string });
    // No subject filter: the machine's NATS predates multi-subject filters; we filter by claim below.
    const consumer = await nc.jetstream().consumers.get(NATS_STREAM, {
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: since.toISOString(),
    });
    const codec = StringCodec();
    const seen: string[] = [];
    const batch = await consumer.fetch({ max_messages: 500, expires: 2000 });
    for await (const message of batch) {
      const event = JSON.parse(codec.decode(message.data)) as { type: string; data: { claimId: string } };
      if (event.data.claimId === claim.id) seen.push(event.type);
    }
    await nc.drain();
    const expected = (
      await world.ctx.db
        .selectFrom('outbox')
        .select('event_type')
        .where('aggregate_id', '=', claim.id)
        .orderBy('id')
        .execute()
    ).map((r) => r.event_type);
    expect(seen).toEqual(expected);
  });
});
