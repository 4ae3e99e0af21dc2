import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { assertPublicTarget, nonGlobalReason } from './ssrf.ts';
import { pinnedPublicLookup, postWebhook } from './webhook-transport.ts';

describe('an address', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1 (loopback)'],
    ['0.0.0.0', '0.0.0.0 (unspecified)'],
    ['10.1.2.3', '10.1.2.3 (private)'],
    ['100.64.0.1', '100.64.0.1 (carrierGradeNat)'],
    ['169.254.169.254', '169.254.169.254 (linkLocal)'],
    ['224.0.0.1', '224.0.0.1 (multicast)'],
    ['255.255.255.255', '255.255.255.255 (broadcast)'],
    ['::1', '::1 (loopback)'],
    ['::', ':: (unspecified)'],
    ['::7f00:1', '::7f00:1, which carries the IPv4 address 127.0.0.1 (loopback)'],
    ['::ffff:7f00:1', '::ffff:7f00:1, which carries the IPv4 address 127.0.0.1 (loopback)'],
    ['::ffff:8.8.8.8', '::ffff:8.8.8.8, which carries the IPv4 address 8.8.8.8 (unicast)'],
    ['64:ff9b::a9fe:a9fe', '64:ff9b::a9fe:a9fe, which carries the IPv4 address 169.254.169.254 (linkLocal)'],
    ['2002:7f00:1::1', '2002:7f00:1::1, which carries the IPv4 address 127.0.0.1 (loopback)'],
    ['64:ff9b:1::1', '64:ff9b:1::1 (rfc6052)'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', '2001:0:4136:e378:8000:63bf:3fff:fdd2 (teredo)'],
    ['fe80::1', 'fe80::1 (linkLocal)'],
    ['fd00::1', 'fd00::1 (uniqueLocal)'],
    ['ff02::1', 'ff02::1 (multicast)'],
    ['2001:db8::1', '2001:db8::1 (reserved)'],
    ['4000::1', '4000::1, outside global unicast (2000::/3)'],
  ])('%s is refused as %s', (address, reason) => {
    expect(nonGlobalReason(address)).toBe(reason);
  });

  it.each(['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '2a00:1450:4001:82b::200e'])(
    '%s is public',
    (address) => {
      expect(nonGlobalReason(address)).toBeNull();
    },
  );
});

async function refusalOf(url: string): Promise<string | undefined> {
  const error = await assertPublicTarget(url, false).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, url).toBeInstanceOf(AppError);
  return (error as AppError).errors?.[0]?.rule;
}

describe('a webhook URL', () => {
  it.each([
    'http://[::7f00:1]/',
    'http://[::127.0.0.1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:169.254.169.254]/latest/meta-data',
    'http://[64:ff9b::7f00:1]/',
    'http://[2002:a9fe:a9fe::1]/',
    'http://[fe80::1]/',
    'http://[fd12:3456::1]/',
    'http://[ff02::1]/',
    'http://2130706433/',
    'http://017700000001/',
    'http://0x7f000001/',
    'http://0x7f.1/',
    'http://127.1/',
    'http://0/',
    'http://localhost/',
  ])('%s is refused', async (url) => {
    expect(await refusalOf(url)).toMatch(/only public addresses may receive webhooks$/);
  });

  it('names what the address really is', async () => {
    expect(await refusalOf('http://[::127.0.0.1]/')).toBe(
      '::7f00:1 resolves to ::7f00:1, which carries the IPv4 address 127.0.0.1 (loopback); only public addresses may receive webhooks',
    );
  });

  it('with a public address literal is accepted', async () => {
    await expect(assertPublicTarget('https://93.184.216.34/hooks', false)).resolves.toBeUndefined();
    await expect(assertPublicTarget('https://[2606:4700:4700::1111]/hooks', false)).resolves.toBeUndefined();
  });
});

describe('delivery', () => {
  const lookupOf = (allowPrivate: boolean, host: string) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
      pinnedPublicLookup(allowPrivate)(host, {}, (error, address) => resolve({ error, address })),
    );

  it('refuses at connect time a name that resolves inside the network, and pins the checked answer', async () => {
    const refused = await lookupOf(false, 'localhost');
    expect(refused.error?.message).toMatch(
      /^refused: localhost resolves to (127\.0\.0\.1|::1) \(loopback\)$/,
    );
    expect((await lookupOf(true, 'localhost')).address).toMatch(/^(127\.0\.0\.1|::1)$/);
  });

  it('never connects to a refused target, and keeps no answer from an internal one', async () => {
    let requests = 0;
    const internal = createServer((_req, res) => {
      requests++;
      res.writeHead(500).end('secret internal page');
    });
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
    const port = (internal.address() as AddressInfo).port;
    try {
      const post = (url: string, allowPrivate: boolean) =>
        postWebhook({ url, headers: {}, body: '{}', timeoutMs: 2000, allowPrivate });
      for (const url of [
        `http://127.0.0.1:${port}/`,
        `http://localhost:${port}/`,
        `http://[::ffff:7f00:1]:${port}/`,
      ]) {
        const answer = await post(url, false);
        expect(answer.statusCode, url).toBeNull();
        expect(answer.error, url).toMatch(/^refused: /);
      }
      expect(requests).toBe(0);
      // Allowed (tests, an operator's own network): delivered, but the body stays unread by the owner.
      expect(await post(`http://127.0.0.1:${port}/`, true)).toEqual({
        statusCode: 500,
        error: null,
        responseExcerpt: null,
      });
      expect(requests).toBe(1);
    } finally {
      internal.close();
    }
  });
});
