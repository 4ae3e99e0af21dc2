import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fanOutOutbox } from '../src/notifications/fanout.ts';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { statementRecorder } from './support/statement-recorder.ts';

/**
 * The statements one fan-out pass sends (begin and commit not counted): the lock, the outbox
 * batch, the endpoints, one read per table its recipients need (claims, marketplaces, customers,
 * sellers), the webhook deliveries' insert, the e-mails' insert and the outbox's update. They do
 * not grow with the batch: a filing's events used to cost about a dozen statements of their own
 * here (a locale, a customer, a seller and an insert per e-mail, an insert per delivery).
 */
const STATEMENT_BUDGET = 10;

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
const recorder = statementRecorder();
beforeAll(async () => {
  world = await createWorld({
    // The endpoints below are never called (this test fans out and does not deliver).
    allowPrivateWebhooks: true,
    log: recorder.log,
  });
  keys = await usMarketplace(world);
}, 300_000);
afterAll(() => world.close());

async function fanOutRecorded(): Promise<{ rows: number; statements: string[] }> {
  const { result: rows, statements } = await recorder.record(() => fanOutOutbox(world.ctx));
  return { rows, statements };
}

describe('the outbox fan-out', () => {
  it('writes a batch of any size in the same few statements, to the same recipients', async () => {
    for (const [key, marketplaceId] of [
      [world.adminKey, { marketplaceId: 'mkt_us' }],
      [keys.acme, {}],
    ] as const) {
      const res = await world.request('POST', '/v1/webhook-endpoints', {
        key,
        body: { url: 'http://127.0.0.1:9/redress', eventTypes: ['*'], ...marketplaceId },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    while ((await fanOutOutbox(world.ctx)) > 0);

    const one = (await fileClaim(world, keys.dana, claimBody())).body;
    const single = await fanOutRecorded();
    const more = [
      (await fileClaim(world, keys.eli, claimBody({ orderId: 'ord_2', lineId: '1' }))).body,
      (await fileClaim(world, keys.dana, claimBody({ lineId: '2' }))).body,
    ];
    const batch = await fanOutRecorded();

    expect(batch.rows).toBeGreaterThan(single.rows);
    expect(single.statements.length).toBeLessThanOrEqual(STATEMENT_BUDGET);
    expect(batch.statements.length).toBe(single.statements.length);

    for (const claim of [one, ...more]) {
      const outbox = await world.ctx.db
        .selectFrom('outbox')
        .select(['id', 'event_type'])
        .where('aggregate_id', '=', claim.id)
        .execute();
      const deliveries = await world.ctx.db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
        .select(['e.owner_role', 'd.event_type'])
        .where('d.aggregate_id', '=', claim.id)
        .execute();
      // The marketplace's endpoint receives every event; the seller's those it may see, from the
      // moment it is told of the claim.
      expect(
        deliveries
          .filter((d) => d.owner_role === 'admin')
          .map((d) => d.event_type)
          .sort(),
      ).toEqual(outbox.map((o) => o.event_type).sort());
      const sellerTypes = deliveries.filter((d) => d.owner_role === 'seller').map((d) => d.event_type);
      expect(sellerTypes).toContain('claim.seller_notified');
      expect(sellerTypes).not.toContain('claim.screened');
      const mails = await world.ctx.db
        .selectFrom('mail_deliveries')
        .select(['recipient_role', 'recipient_id', 'template', 'language'])
        .where(
          'outbox_id',
          'in',
          outbox.map((o) => o.id),
        )
        .execute();
      expect(mails).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            recipient_role: 'customer',
            recipient_id: claim.customerId,
            template: 'customer_decision',
          }),
          expect.objectContaining({
            recipient_role: 'seller',
            recipient_id: 'slr_acme',
            template: 'seller_notice',
          }),
        ]),
      );
    }
  });

  it('writes each e-mail to whom the event concerns, in the reader locale, and none to an erased customer', async () => {
    const db = world.ctx.db;
    const now = world.clock.now();
    await db
      .insertInto('experts')
      .values({
        id: 'exp_fanout',
        marketplace_id: 'mkt_us',
        organisation: 'Fraud Lab',
        name: 'Ana',
        email: 'ana@fraudlab.example',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await db.updateTable('customers').set({ language: 'es' }).where('id', '=', 'cus_eli').execute();
    const gone = await world.request('PUT', '/v1/customers/cus_gone', {
      body: { marketplaceId: 'mkt_us', name: 'Gone Away', email: 'gone@example.com' },
    });
    expect(gone.status, JSON.stringify(gone.body)).toBe(200);
    await db.updateTable('customers').set({ erased_at: now }).where('id', '=', 'cus_gone').execute();
    while ((await fanOutOutbox(world.ctx)) > 0);
    const events: [string, Record<string, unknown>][] = [
      ['claim.approved', { customerId: 'cus_eli', sellerId: 'slr_acme' }],
      ['safety.recall_notice', { customerId: 'cus_eli' }],
      ['claim.approved', { customerId: 'cus_gone', sellerId: 'slr_acme' }],
      ['claim.seller_notified', { customerId: 'cus_eli', sellerId: 'slr_acme' }],
      ['claim.contest_decided', { customerId: 'cus_eli', sellerId: 'slr_acme' }],
      ['claim.referred_to_expert', { customerId: 'cus_eli', data: { expertId: 'exp_fanout' } }],
      ['referral.reminder', { expertId: 'exp_fanout' }],
    ];
    const inserted = await db
      .insertInto('outbox')
      .values(
        events.map(([type, payload], index) => ({
          event_id: `evt_fanout_${index}`,
          event_type: type,
          marketplace_id: 'mkt_us',
          aggregate_type: type.startsWith('referral') ? 'referral' : 'claim',
          aggregate_id: `clm_fanout_${index}`,
          payload,
          created_at: now,
        })),
      )
      .returning(['id', 'event_type'])
      .execute();
    expect(await fanOutOutbox(world.ctx)).toBe(events.length);
    const mails = await db
      .selectFrom('mail_deliveries')
      .select(['outbox_id', 'recipient_role', 'recipient_id', 'template', 'language'])
      .where(
        'outbox_id',
        'in',
        inserted.map((row) => row.id),
      )
      .orderBy('outbox_id')
      .execute();
    const sent = mails.map(({ outbox_id, ...mail }) => ({
      event: inserted.find((row) => row.id === outbox_id)?.event_type,
      ...mail,
    }));
    expect(sent).toEqual([
      {
        event: 'claim.approved',
        recipient_role: 'customer',
        recipient_id: 'cus_eli',
        template: 'customer_decision',
        language: 'es-US',
      },
      {
        event: 'safety.recall_notice',
        recipient_role: 'customer',
        recipient_id: 'cus_eli',
        template: 'recall_notice',
        language: 'es-US',
      },
      // The erased customer is written to no more, and approval tells the seller nothing.
      {
        event: 'claim.seller_notified',
        recipient_role: 'seller',
        recipient_id: 'slr_acme',
        template: 'seller_notice',
        language: 'en-US',
      },
      {
        event: 'claim.contest_decided',
        recipient_role: 'seller',
        recipient_id: 'slr_acme',
        template: 'seller_contest',
        language: 'en-US',
      },
      {
        event: 'claim.referred_to_expert',
        recipient_role: 'expert',
        recipient_id: 'exp_fanout',
        template: 'expert_referral',
        language: 'en-US',
      },
      {
        event: 'referral.reminder',
        recipient_role: 'expert',
        recipient_id: 'exp_fanout',
        template: 'expert_referral',
        language: 'en-US',
      },
    ]);
  });
});
