import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { oneWorldWithReceiverPerFile, type WebhookReceiver } from './support/webhook-receiver.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
let receiver: WebhookReceiver;
oneWorldWithReceiverPerFile((current) => {
  ({ world, keys, receiver } = current);
});

async function acmeEndpoint(eventTypes = ['*']) {
  const res = await world.request('POST', '/v1/webhook-endpoints', {
    key: keys.acme,
    body: { url: receiver.url, eventTypes },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; secret: string };
}

const incidentYesterday = () => new Date(world.clock.now().getTime() - 86_400_000).toISOString();

describe('managing a webhook endpoint', () => {
  it('changes its URL and event types, with the same rules as registering', async () => {
    const hook = await acmeEndpoint();
    const changed = await world.request('PATCH', `/v1/webhook-endpoints/${hook.id}`, {
      key: keys.acme,
      body: { url: `${receiver.url}/v2`, eventTypes: ['claim.seller_notified'] },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({
      url: `${receiver.url}/v2`,
      eventTypes: ['claim.seller_notified'],
      active: true,
    });

    const hidden = await world.request('PATCH', `/v1/webhook-endpoints/${hook.id}`, {
      key: keys.acme,
      body: { eventTypes: ['claim.screened'] },
    });
    expect(hidden.status).toBe(422);
    expect(hidden.body.errors).toEqual([
      { field: 'body.eventTypes.0', rule: 'claim.screened is not an event this key may receive' },
    ]);
    const empty = await world.request('PATCH', `/v1/webhook-endpoints/${hook.id}`, {
      key: keys.acme,
      body: {},
    });
    expect(empty.status).toBe(400);

    await fileClaim(world, keys.dana, claimBody({ incidentAt: incidentYesterday() }));
    await world.work();
    expect(receiver.types()).toEqual(['claim.seller_notified']);
  });

  it('pauses while disabled and delivers again once enabled', async () => {
    const hook = await acmeEndpoint(['claim.seller_notified']);
    const disabled = await world.request('POST', `/v1/webhook-endpoints/${hook.id}/disable`, {
      key: keys.acme,
    });
    expect(disabled.body.active).toBe(false);
    await fileClaim(world, keys.dana, claimBody({ incidentAt: incidentYesterday() }));
    await world.work();
    expect(receiver.received).toHaveLength(0);

    const enabled = await world.request('POST', `/v1/webhook-endpoints/${hook.id}/enable`, {
      key: keys.acme,
    });
    expect(enabled.body.active).toBe(true);
    await fileClaim(
      world,
      keys.eli,
      claimBody({ orderId: 'ord_2', lineId: '1', incidentAt: incidentYesterday() }),
    );
    await world.work();
    expect(receiver.types()).toEqual(['claim.seller_notified']);
  });

  it('holds a queued retry while disabled and sends it when enabled', async () => {
    const hook = await acmeEndpoint(['claim.seller_notified']);
    receiver.script = [500];
    await fileClaim(world, keys.dana, claimBody({ incidentAt: incidentYesterday() }));
    await world.work();
    expect(receiver.received).toHaveLength(1); // failed, to be retried in about 30 s
    await world.request('POST', `/v1/webhook-endpoints/${hook.id}/disable`, { key: keys.acme });
    await world.advance(60);
    expect(receiver.received).toHaveLength(1);
    await world.request('POST', `/v1/webhook-endpoints/${hook.id}/enable`, { key: keys.acme });
    await world.work();
    expect(receiver.types()).toEqual(['claim.seller_notified', 'claim.seller_notified']);
  });

  it('deletes it: gone from the list, nothing more delivered, queued deliveries dead-lettered', async () => {
    const hook = await acmeEndpoint(['claim.seller_notified']);
    receiver.script = [500];
    await fileClaim(world, keys.dana, claimBody({ incidentAt: incidentYesterday() }));
    await world.work();
    expect(receiver.received).toHaveLength(1);
    const deleted = await world.request('DELETE', `/v1/webhook-endpoints/${hook.id}`, { key: keys.acme });
    expect(deleted.status).toBe(204);
    expect((await world.request('GET', '/v1/webhook-endpoints', { key: keys.acme })).body.data).toEqual([]);
    expect(
      (await world.request('POST', `/v1/webhook-endpoints/${hook.id}/enable`, { key: keys.acme })).status,
    ).toBe(404);
    expect(
      (await world.request('DELETE', `/v1/webhook-endpoints/${hook.id}`, { key: keys.acme })).status,
    ).toBe(404);
    const left = await world.ctx.db
      .selectFrom('webhook_deliveries')
      .select(['status', 'last_error'])
      .where('endpoint_id', '=', hook.id)
      .execute();
    expect(left).toEqual([{ status: 'dead', last_error: 'endpoint deleted' }]);
    await world.advance(60);
    expect(receiver.received).toHaveLength(1);
  });

  it('rotates the secret: both sign during the overlap, only the new one after', async () => {
    const hook = await acmeEndpoint();
    const rotated = await world.request('POST', `/v1/webhook-endpoints/${hook.id}/rotate-secret`, {
      key: keys.acme,
      body: { overlapSeconds: 60 },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.secret);
    expect(rotated.body.previousSecretExpiresAt).toBe(
      new Date(world.clock.now().getTime() + 60_000).toISOString(),
    );

    const during = await world.request('POST', `/v1/webhook-endpoints/${hook.id}/test`, { key: keys.acme });
    expect(during.body).toMatchObject({ delivered: true, statusCode: 204, error: null });
    const first = receiver.received[0] as { body: string; headers: Record<string, string> };
    expect(first.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    for (const secret of [hook.secret, rotated.body.secret])
      expect(new Webhook(secret).verify(first.body, first.headers)).toMatchObject({ type: 'webhook.test' });

    world.clock.advance(61);
    await world.request('POST', `/v1/webhook-endpoints/${hook.id}/test`, { key: keys.acme });
    const after = receiver.received[1] as { body: string; headers: Record<string, string> };
    expect(after.headers['webhook-signature']?.split(' ')).toHaveLength(1);
    expect(new Webhook(rotated.body.secret).verify(after.body, after.headers)).toMatchObject({
      type: 'webhook.test',
    });
    expect(() => new Webhook(hook.secret).verify(after.body, after.headers)).toThrow();
  });

  it('sends a test message, reporting a failure without the internal answer', async () => {
    const hook = await acmeEndpoint();
    receiver.script = [500];
    const res = await world.request('POST', `/v1/webhook-endpoints/${hook.id}/test`, { key: keys.acme });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ delivered: false, statusCode: 500, error: null, response: null });
    expect(res.body.messageId).toMatch(/^evt_/);
    expect(receiver.types()).toEqual(['webhook.test']);
    // A test message is not a delivery: the log stays empty.
    expect(
      (await world.request('GET', `/v1/webhook-endpoints/${hook.id}/deliveries`, { key: keys.acme })).body
        .data,
    ).toEqual([]);
  });

  it('answers 404 to anyone but the owner, on every operation', async () => {
    const hook = await acmeEndpoint();
    const otherSeller = await world.key('seller', 'slr_other');
    const insurer = await world.key('insurer', 'ins_harbor');
    const operations: ['PATCH' | 'POST' | 'DELETE', string, unknown?][] = [
      ['PATCH', `/v1/webhook-endpoints/${hook.id}`, { eventTypes: ['*'] }],
      ['POST', `/v1/webhook-endpoints/${hook.id}/disable`],
      ['POST', `/v1/webhook-endpoints/${hook.id}/enable`],
      ['POST', `/v1/webhook-endpoints/${hook.id}/rotate-secret`, {}],
      ['POST', `/v1/webhook-endpoints/${hook.id}/test`],
      ['DELETE', `/v1/webhook-endpoints/${hook.id}`],
    ];
    for (const [method, url, body] of operations) {
      for (const key of [otherSeller, insurer, world.adminKey]) {
        const res = await world.request(method, url, { key, ...(body ? { body } : {}) });
        expect(res.status, `${method} ${url}`).toBe(404);
      }
      expect((await world.request(method, url, { key: keys.dana, ...(body ? { body } : {}) })).status).toBe(
        403,
      );
    }
    expect(receiver.received).toHaveLength(0);
    const still = await world.request('GET', '/v1/webhook-endpoints', { key: keys.acme });
    expect(still.body.data).toMatchObject([{ id: hook.id, active: true }]);
  });
});

describe('a target that turns internal after registration', () => {
  it('is refused at delivery, and nothing reaches it', async () => {
    const strict = await createWorld({ start: new Date() });
    try {
      const strictKeys = await usMarketplace(strict);
      await strict.work();
      const hook = await strict.request('POST', '/v1/webhook-endpoints', {
        body: { url: 'https://93.184.216.34/hooks', eventTypes: ['claim.filed'], marketplaceId: 'mkt_us' },
      });
      expect(hook.status).toBe(201);
      // As if its DNS now answered 127.0.0.1: the stored URL names the receiver by a local name.
      await strict.ctx.db
        .updateTable('webhook_endpoints')
        .set({ url: receiver.url.replace('127.0.0.1', 'localhost') })
        .where('id', '=', hook.body.id)
        .execute();
      await fileClaim(
        strict,
        strictKeys.dana,
        claimBody({ incidentAt: new Date(Date.now() - 86_400_000).toISOString() }),
      );
      await strict.work();
      expect(receiver.received).toHaveLength(0);
      const log = (await strict.request('GET', `/v1/webhook-endpoints/${hook.body.id}/deliveries`)).body.data;
      expect(log[0].attempts[0]).toMatchObject({ statusCode: null, response: null });
      expect(log[0].attempts[0].error).toMatch(
        /^refused: localhost resolves to (127\.0\.0\.1|::1) \(loopback\)$/,
      );
    } finally {
      await strict.close();
    }
  });
});
