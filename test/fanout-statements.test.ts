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
});
