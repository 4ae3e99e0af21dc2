import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { SMTP_CONNECTIONS, smtpMailer } from '../src/notifications/mailer.ts';
import { claimBody, deliveredOrder, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { oneWorldWithReceiverPerFile, type WebhookReceiver } from './support/webhook-receiver.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
let receiver: WebhookReceiver;
oneWorldWithReceiverPerFile((current) => {
  ({ world, keys, receiver } = current);
});

async function endpoint(key: string, eventTypes: string[], marketplaceId?: string) {
  const res = await world.request('POST', '/v1/webhook-endpoints', {
    key,
    body: { url: receiver.url, eventTypes, ...(marketplaceId ? { marketplaceId } : {}) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; secret: string };
}

function claimFiledNow() {
  const incidentAt = new Date(world.clock.now().getTime() - 86_400_000).toISOString();
  return claimBody({ incidentAt });
}

describe('webhooks', () => {
  it('deliver every event of a claim, in order, signed per Standard Webhooks', async () => {
    const hook = await endpoint(world.adminKey, ['*'], 'mkt_us');
    expect(hook.secret).toMatch(/^whsec_/);
    const claim = (await fileClaim(world, keys.dana, claimFiledNow())).body;
    await world.work();
    expect(receiver.types()).toEqual([
      'claim.filed',
      'claim.hazard_classified',
      'claim.screened',
      'claim.approved',
      'claim.seller_notified',
      'claim.paid',
      'claim.recovery_waived',
      'claim.closed',
    ]);
    const verifier = new Webhook(hook.secret);
    for (const message of receiver.received) {
      const verified = verifier.verify(message.body, message.headers as Record<string, string>) as {
        data: { claimId: string };
      };
      expect(verified.data.claimId).toBe(claim.id);
      expect(message.headers['webhook-id']).toMatch(/^evt_/);
    }
    const tampered = receiver.received[0] as { body: string; headers: Record<string, string> };
    expect(() =>
      verifier.verify(
        tampered.body.replace(claim.id, 'clm_other'),
        tampered.headers as Record<string, string>,
      ),
    ).toThrow();
  });

  it('send a seller only its own claims’ events, from the moment it is told, without screening details', async () => {
    const acmeHook = await world.request('POST', '/v1/webhook-endpoints', {
      key: keys.acme,
      body: { url: receiver.url, eventTypes: ['*'] },
    });
    expect(acmeHook.status).toBe(201);
    const refused = await world.request('POST', '/v1/webhook-endpoints', {
      key: keys.acme,
      body: { url: receiver.url, eventTypes: ['claim.screened'] },
    });
    expect(refused.status).toBe(422);
    await fileClaim(world, keys.dana, claimFiledNow());
    await fileClaim(world, keys.dana, claimBody({ lineId: '5', incidentAt: claimFiledNow().incidentAt })); // another seller's product
    await world.work();
    const types = receiver.types();
    // A small claim is approved and the seller told in one step: both reach the seller, nothing before.
    expect(types.slice(0, 2)).toEqual(['claim.approved', 'claim.seller_notified']);
    expect(types).not.toContain('claim.filed');
    expect(types).not.toContain('claim.screened');
    const sellers = receiver.received.map(
      (r) => (JSON.parse(r.body) as { data: { sellerId: string } }).data.sellerId,
    );
    expect(new Set(sellers)).toEqual(new Set(['slr_acme']));
  });

  it('retry after a 500 and a timeout with the same webhook-id, and hold later events of the claim until then', async () => {
    const hook = await endpoint(world.adminKey, ['claim.filed', 'claim.approved'], 'mkt_us');
    receiver.script = [500, 'hang'];
    await fileClaim(world, keys.dana, claimFiledNow());
    await world.work();
    expect(receiver.types()).toEqual(['claim.filed']); // the approval waits behind the failed filing
    await world.advance(40);
    expect(receiver.types()).toEqual(['claim.filed', 'claim.filed']); // timed out
    await world.advance(180);
    expect(receiver.types()).toEqual(['claim.filed', 'claim.filed', 'claim.filed', 'claim.approved']);
    const ids = receiver.received.slice(0, 3).map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(1);
    const log = (await world.request('GET', `/v1/webhook-endpoints/${hook.id}/deliveries`)).body.data;
    const filed = log.find((d: { eventType: string }) => d.eventType === 'claim.filed');
    expect(filed.status).toBe('delivered');
    expect(filed.attempts.map((a: { statusCode: number | null }) => a.statusCode)).toEqual([500, null, 204]);
    expect(filed.attempts[1].error).toMatch(/abort|timeout/i);
  });

  it('dead-letter a delivery after a day of failures, and replay it on request', async () => {
    const hook = await endpoint(world.adminKey, ['claim.filed'], 'mkt_us');
    receiver.script = Array(20).fill(503);
    await fileClaim(world, keys.dana, claimFiledNow());
    await world.work();
    for (let hour = 0; hour < 40; hour++) await world.advance(3600);
    const dead = (await world.request('GET', `/v1/webhook-endpoints/${hook.id}/deliveries?status=dead`)).body
      .data;
    expect(dead).toHaveLength(1);
    expect(dead[0].attempts).toHaveLength(10);
    receiver.script = [];
    const replay = await world.request('POST', `/v1/webhook-deliveries/${dead[0].id}/retry`);
    expect(replay.body).toEqual({ id: dead[0].id, status: 'pending' });
    await world.work();
    expect(
      (await world.request('GET', `/v1/webhook-endpoints/${hook.id}/deliveries?status=delivered`)).body.data,
    ).toHaveLength(1);
    expect((await world.request('POST', `/v1/webhook-deliveries/${dead[0].id}/retry`)).status).toBe(409);
    const stranger = await world.request('GET', `/v1/webhook-endpoints/${hook.id}/deliveries`, {
      key: keys.acme,
    });
    expect(stranger.status).toBe(404);
  });
});

describe('targets inside the network', () => {
  it('are refused unless the operator allows them', async () => {
    const strict = await createWorld();
    try {
      await usMarketplace(strict);
      for (const url of [
        'http://127.0.0.1:8080/x',
        'http://localhost/x',
        'http://10.1.2.3/x',
        'http://169.254.169.254/latest/meta-data',
        'http://[::1]/x',
        'http://192.168.0.10/x',
        'http://[::7f00:1]/x',
        'http://[::127.0.0.1]/x',
        'http://2130706433/x',
      ]) {
        const res = await strict.request('POST', '/v1/webhook-endpoints', {
          body: { url, eventTypes: ['*'], marketplaceId: 'mkt_us' },
        });
        expect(res.status, url).toBe(422);
        expect(res.body.errors[0].field).toBe('body.url');
      }
      const bad = await strict.request('POST', '/v1/webhook-endpoints', {
        body: { url: 'ftp://example.com/x', eventTypes: ['*'], marketplaceId: 'mkt_us' },
      });
      expect(bad.status).toBe(422);
    } finally {
      await strict.close();
    }
  });
});

describe('e-mail', () => {
  it('tells the customer of the decision and the seller of the claim, over SMTP', async () => {
    const inbox: { to: string; data: string }[] = [];
    let connections = 0;
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onConnect(_session, callback) {
        connections++;
        callback();
      },
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (c: Buffer) => {
          data += c.toString();
        });
        stream.on('end', () => {
          inbox.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), data });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as { port: number }).port;
    const mailWorld = await createWorld({ mailer: smtpMailer(`smtp://127.0.0.1:${port}`) });
    try {
      const k = await usMarketplace(mailWorld);
      await fileClaim(mailWorld, k.dana, claimBody());
      for (const order of ['ord_smtp_1', 'ord_smtp_2']) {
        await deliveredOrder(mailWorld, order, 'cus_dana');
        await fileClaim(mailWorld, k.dana, claimBody({ orderId: order }));
      }
      await mailWorld.work();
      const toDana = inbox.filter((m) => m.to === 'dana@example.com').map((m) => m.data);
      expect(toDana.some((m) => m.includes('your claim was approved'))).toBe(true);
      expect(toDana.some((m) => m.includes('you have been paid'))).toBe(true);
      expect(toDana.every((m) => m.includes('Content-Type: text/html'))).toBe(true);
      expect(
        inbox.some(
          (m) =>
            m.to === 'claims@acme.example' &&
            m.data.includes('about your product') &&
            m.data.includes('(America/New_York)'),
        ),
      ).toBe(true);
      const again = await mailWorld.work();
      expect(again.mail).toBe(0);
      // A send the worker gives up on is aborted, not left in the pool to go later.
      const before = inbox.length;
      const abandoned = smtpMailer(`smtp://127.0.0.1:${port}`);
      try {
        const given = {
          messageId: '<abandoned@redress>',
          to: 'x@example.com',
          subject: 's',
          text: 't',
          html: 'h',
        };
        await expect(abandoned.send(given, { signal: AbortSignal.abort() })).rejects.toMatchObject({
          name: 'AbortError',
        });
      } finally {
        await abandoned.close?.();
      }
      await new Promise((r) => setTimeout(r, 200));
      expect(inbox.length).toBe(before);
      // Pooled: a connection carries several e-mails (one each, unpooled), at most SMTP_CONNECTIONS.
      // Three claims: an e-mail to Dana about each (its steps together) and a notice to Acme.
      expect(inbox.length).toBe(6);
      expect(connections).toBeLessThan(inbox.length);
      expect(connections).toBeLessThanOrEqual(SMTP_CONNECTIONS);
    } finally {
      await mailWorld.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});
