import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { unprocessable } from '../platform/errors.ts';

/**
 * Webhook targets must be public: a URL that resolves to loopback, a private network, a
 * link-local address (cloud metadata lives at 169.254.169.254) or any other reserved range
 * would let a caller make the server reach inside its own network. Checked when an endpoint
 * is registered and again at every delivery, since DNS can change in between.
 */
export async function assertPublicTarget(
  url: string,
  allowPrivate: boolean,
  field = 'body.url',
): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw unprocessable(field, 'must be an absolute URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw unprocessable(field, 'must use http or https');
  if (parsed.username || parsed.password) throw unprocessable(field, 'must not carry credentials');
  if (allowPrivate) return;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw unprocessable(field, `${host} does not resolve`);
  }
  for (const address of addresses) {
    let ip = ipaddr.parse(address);
    if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress())
      ip = (ip as ipaddr.IPv6).toIPv4Address();
    if (ip.range() !== 'unicast') {
      throw unprocessable(
        field,
        `${host} resolves to ${address} (${ip.range()}); only public addresses may receive webhooks`,
      );
    }
  }
}
