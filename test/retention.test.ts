import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/platform/context.ts';
import { DEFAULT_RETENTION } from '../src/platform/retention/policy.ts';
import { pruneExpiredRecords, retentionJob } from '../src/platform/retention/prune-expired-records.ts';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

const DAY = 86_400;
let world: World;

/** Rows of the tables retention must never touch, to compare before and after. */
async function recordsOfClaims(ctx: AppContext) {
  const { rows } = await sql<Record<string, number>>`
    select (select count(*) from claims) as claims, (select count(*) from claim_events) as events,
           (select count(*) from journal_entries) as entries, (select count(*) from journal_lines) as lines,
           (select count(*) from payouts) as payouts, (select count(*) from evidence) as evidence
  `.execute(ctx.db);
  return rows[0];
}

async function message(eventId: string, at: Date, state: { fannedOut: boolean; relayed?: boolean }) {
  const row = await world.ctx.db
    .insertInto('outbox')
    .values({
      event_id: eventId,
      event_type: 'claim.filed',
      marketplace_id: 'mkt_us',
      aggregate_type: 'claim',
      aggregate_id: 'clm_x',
      payload: JSON.stringify({}),
      created_at: at,
      fanned_out_at: state.fannedOut ? at : null,
      relayed_at: state.relayed ? at : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function webhookDelivery(id: string, outboxId: number, status: string, attemptAt: Date) {
  await world.ctx.db
    .insertInto('webhook_deliveries')
    .values({
      id,
      endpoint_id: 'whe_retention',
      outbox_id: outboxId,
      message_id: id,
      event_type: 'claim.filed',
      aggregate_id: 'clm_x',
      status,
      attempts: 1,
      created_at: attemptAt,
    })
    .execute();
  await world.ctx.db
    .insertInto('webhook_attempts')
    .values({
      delivery_id: id,
      attempt: 1,
      at: attemptAt,
      status_code: 200,
      error: null,
      duration_ms: 5,
      response_excerpt: null,
    })
    .execute();
}

async function mail(id: string, outboxId: number, status: string) {
  await world.ctx.db
    .insertInto('mail_deliveries')
    .values({
      id,
      outbox_id: outboxId,
      recipient_role: 'customer',
      recipient_id: 'cus_dana',
      to_address: 'dana@example.com',
      language: 'en',
      template: 'claim.filed',
      status,
      created_at: world.clock.now(),
    })
    .execute();
}

/** One column of every row of a table, in order: what is left after pruning. */
async function left(
  table: 'outbox' | 'sessions' | 'webhook_deliveries' | 'webhook_attempts' | 'mail_deliveries',
  column: string,
) {
  const { rows } = await sql<{
    value: string;
  }>`select ${sql.ref(column)} as value from ${sql.table(table)} order by 1`.execute(world.ctx.db);
  return rows.map((r) => r.value);
}
const outboxIds = async () =>
  (await world.ctx.db.selectFrom('outbox').select('event_id').orderBy('id').execute()).map((r) => r.event_id);

beforeAll(async () => {
  world = await createWorld();
  const keys = await usMarketplace(world);
  // A real claim, paid and closed: it leaves events, ledger entries, timers and an idempotency record.
  expect((await fileClaim(world, keys.dana, claimBody())).status).toBe(201);
  await world.work();
  await world.ctx.db
    .insertInto('webhook_endpoints')
    .values({
      id: 'whe_retention',
      owner_role: 'admin',
      owner_id: 'mkt_us',
      url: 'https://hooks.example.com/r',
      event_types: JSON.stringify(['*']),
      secret: 'whsec_test',
      created_at: world.clock.now(),
    })
    .execute();
});
afterAll(async () => world?.close());

describe('retention', () => {
  it('prunes only what the policy allows, and never an undelivered message', async () => {
    const claimRecords = await recordsOfClaims(world.ctx);
    const realMessages = await outboxIds();
    expect(realMessages.length).toBeGreaterThan(0);
    const now = world.clock.now();
    const old = new Date(now.getTime() - 10 * DAY * 1000);

    await message('old_unfanned', old, { fannedOut: false });
    const pending = await message('old_webhook_pending', old, { fannedOut: true });
    await webhookDelivery('whd_pending', pending, 'pending', old);
    const dead = await message('old_webhook_dead', old, { fannedOut: true });
    await webhookDelivery('whd_dead', dead, 'dead', old);
    const delivered = await message('old_webhook_delivered', old, { fannedOut: true });
    await webhookDelivery('whd_delivered', delivered, 'delivered', old);
    const mailPending = await message('old_mail_pending', old, { fannedOut: true });
    await mail('mail_pending', mailPending, 'pending');
    const mailSent = await message('old_mail_sent', old, { fannedOut: true });
    await mail('mail_sent', mailSent, 'sent');

    await world.ctx.db
      .insertInto('api_keys')
      .values({ id: 'key_retention', secret_sha256: 'retention', role: 'customer', created_at: old })
      .execute();
    const hourFromNow = new Date(now.getTime() + 3_600_000);
    const sessions: [string, Date, Date | null][] = [
      ['live', hourFromNow, null],
      ['expired_ten_days_ago', old, null],
      ['revoked_ten_days_ago', hourFromNow, old],
      ['expired_yesterday', new Date(now.getTime() - DAY * 1000), null],
    ];
    await world.ctx.db
      .insertInto('sessions')
      .values(
        sessions.map(([token, expiresAt, revokedAt]) => ({
          token_sha256: token,
          api_key_id: 'key_retention',
          csrf_token: 'csrf',
          created_at: old,
          expires_at: expiresAt,
          revoked_at: revokedAt,
        })),
      )
      .execute();

    // Ten days after those messages, only sessions ended over a week ago are past the policy.
    const policy = { ...DEFAULT_RETENTION, deliveredMessageDays: 30 };
    const early = await pruneExpiredRecords(world.ctx, policy);
    expect(early).toEqual({
      deliveredMessages: 0,
      webhookAttempts: 0,
      firedTimers: 0,
      endedSessions: 2,
      idempotencyRecords: 0,
    });
    expect(await left('sessions', 'token_sha256')).toEqual(['expired_yesterday', 'live']);

    // Forty days on, every finished record of the real claim goes too.
    world.clock.advance(40 * DAY);
    const late = await pruneExpiredRecords(world.ctx, policy);
    expect(late.deliveredMessages).toBe(realMessages.length + 2);
    expect(await outboxIds()).toEqual([
      'old_unfanned',
      'old_webhook_pending',
      'old_webhook_dead',
      'old_mail_pending',
    ]);
    expect(await left('webhook_deliveries', 'id')).toEqual(['whd_dead', 'whd_pending']);
    expect(await left('webhook_attempts', 'delivery_id')).toEqual(['whd_dead', 'whd_pending']);
    expect(await left('mail_deliveries', 'id')).toEqual(['mail_pending']);
    expect(late.firedTimers).toBeGreaterThan(0);
    const unfiredLeft = await world.ctx.db
      .selectFrom('timers')
      .select('id')
      .where('fired_at', 'is', null)
      .execute();
    expect(await world.ctx.db.selectFrom('timers').select('id').execute()).toEqual(unfiredLeft);
    expect(await world.ctx.db.selectFrom('idempotency_keys').select('key').execute()).toEqual([]);

    expect(await recordsOfClaims(world.ctx)).toEqual(claimRecords);
  });

  it('waits for the stream relay when a stream is configured', async () => {
    const now = world.clock.now();
    const old = new Date(now.getTime() - 60 * DAY * 1000);
    await message('old_unrelayed', old, { fannedOut: true, relayed: false });
    await message('old_relayed', old, { fannedOut: true, relayed: true });
    const withStream = { ...world.ctx, notifications: { ...world.ctx.notifications, nats: {} as never } };
    expect((await pruneExpiredRecords(withStream, DEFAULT_RETENTION)).deliveredMessages).toBe(1);
    expect(await outboxIds()).toContain('old_unrelayed');
    expect(await outboxIds()).not.toContain('old_relayed');
    // Without a stream there is no relay to wait for.
    expect((await pruneExpiredRecords(world.ctx, DEFAULT_RETENTION)).deliveredMessages).toBe(1);
  });
});

describe('the retention job', () => {
  it('drains a backlog in batches, then looks again only after its idle interval', async () => {
    const long = new Date(world.clock.now().getTime() - 90 * DAY * 1000);
    await world.ctx.db
      .insertInto('timers')
      .values(
        [1, 2, 3].map((n) => ({
          kind: 'test',
          subject_id: `t${n}`,
          due_at: long,
          created_at: long,
          fired_at: long,
        })),
      )
      .execute();
    const job = retentionJob({ ...DEFAULT_RETENTION, batchSize: 2 }, { idleIntervalMs: 60_000 });
    expect(await job.run(world.ctx)).toBe(2);
    expect(await job.run(world.ctx)).toBe(1);
    expect(await job.run(world.ctx)).toBe(0);
    await world.ctx.db
      .insertInto('timers')
      .values({ kind: 'test', subject_id: 't4', due_at: long, created_at: long, fired_at: long })
      .execute();
    expect(await job.run(world.ctx)).toBe(0);
    world.clock.advance(61);
    expect(await job.run(world.ctx)).toBe(1);
  });
});
