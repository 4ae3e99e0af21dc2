import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { unprocessable } from '../platform/errors.ts';

/** Only this part of IPv6 is allocated as global unicast (RFC 4291 §2.4, IANA's registry). */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * The IPv4 address inside an IPv6 one that carries it, for saying what the target really is:
 * IPv4-mapped and -compatible (::ffff:a.b.c.d, ::a.b.c.d) and NAT64 (64:ff9b::/96) in the last
 * 32 bits, 6to4 (2002::/16) in bits 16–48.
 */
function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | null {
  const parts = ip.parts;
  const fromWords = (high: number, low: number) =>
    new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  if (ip.range() === '6to4') return fromWords(parts[1] as number, parts[2] as number);
  const zero = (from: number, to: number) => parts.slice(from, to).every((p) => p === 0);
  const mapped = zero(0, 5) && parts[5] === 0xffff;
  // ::0.0.x.x is left to the range names: it holds :: (unspecified) and ::1 (loopback).
  const compatible = zero(0, 6) && parts[6] !== 0;
  const nat64 = parts[0] === 0x64 && parts[1] === 0xff9b && zero(2, 6);
  return mapped || compatible || nat64 ? fromWords(parts[6] as number, parts[7] as number) : null;
}

/**
 * Why an address is not a public (global unicast) one, as a phrase naming it, or null when it is. ipaddr.js names
 * every special range (loopback, private, link-local, unique-local, multicast, carrier-grade
 * NAT, 6to4, Teredo, NAT64, IPv4-mapped, documentation…); anything it does not call 'unicast'
 * is refused. Its IPv6 'unicast' is only "none of the named ranges", which lets through
 * IPv4-compatible addresses like ::7f00:1 (that is 127.0.0.1) and unallocated space, so IPv6
 * must also lie in 2000::/3.
 */
export function nonGlobalReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return `${address}, which is not an IP address`;
  const ip = ipaddr.parse(address);
  const range = ip.range();
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    const inner = embeddedIPv4(v6);
    if (inner) return `${address}, which carries the IPv4 address ${inner.toString()} (${inner.range()})`;
    if (range !== 'unicast') return `${address} (${range})`;
    if (!v6.match(GLOBAL_UNICAST_V6)) return `${address}, outside global unicast (2000::/3)`;
    return null;
  }
  return range === 'unicast' ? null : `${address} (${range})`;
}

export interface WebhookTarget {
  url: URL;
  /** The host to resolve, without IPv6 brackets. */
  host: string;
}

/** The URL's own rules: absolute http(s), no credentials in it. */
export function parseWebhookUrl(url: string, field = 'body.url'): WebhookTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw unprocessable(field, 'must be an absolute URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw unprocessable(field, 'must use http or https');
  if (parsed.username || parsed.password) throw unprocessable(field, 'must not carry credentials');
  // The WHATWG parser has already turned 2130706433, 0x7f.1 and 0177.0.0.1 into 127.0.0.1.
  return { url: parsed, host: parsed.hostname.replace(/^\[|\]$/g, '') };
}

/**
 * Webhook targets must be public: a URL that resolves to loopback, a private network, a
 * link-local address (cloud metadata lives at 169.254.169.254) or any other reserved range
 * would let a caller make the server reach inside its own network. Checked when an endpoint
 * is registered or changed, to answer the owner at once; delivery checks again, at connect
 * time, the very address it connects to (see webhook-transport.ts), since DNS can change.
 */
export async function assertPublicTarget(
  url: string,
  allowPrivate: boolean,
  field = 'body.url',
): Promise<void> {
  const { host } = parseWebhookUrl(url, field);
  if (allowPrivate) return;
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw unprocessable(field, `${host} does not resolve`);
  }
  for (const address of addresses) {
    const reason = nonGlobalReason(address);
    if (reason)
      throw unprocessable(field, `${host} resolves to ${reason}; only public addresses may receive webhooks`);
  }
}
