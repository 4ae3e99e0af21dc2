import { type LookupAddress, lookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { nonGlobalReason, parseWebhookUrl } from './ssrf.ts';

export interface WebhookAnswer {
  statusCode: number | null;
  error: string | null;
  /** The start of the receiver's answer; only from a public address (see below). */
  responseExcerpt: string | null;
}

const EXCERPT_CHARS = 500;

/**
 * The DNS lookup the connection uses: it resolves once, refuses the whole answer if any address
 * is not public, and hands the socket the address it checked. Checking a name and then letting
 * the HTTP client resolve it again would leave a window for DNS rebinding (a first answer public,
 * the second 127.0.0.1); here the check and the connect use the same answer.
 */
export function pinnedPublicLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refusals = allowPrivate ? [] : addresses.map((a) => nonGlobalReason(a.address)).filter(Boolean);
      if (refusals.length || addresses.length === 0) {
        const refused = new Error(`refused: ${hostname} resolves to ${refusals[0] ?? 'nothing'}`);
        return callback(Object.assign(refused, { code: 'ENOTPUBLIC' }), '', 0);
      }
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

/**
 * POSTs one webhook. node:http rather than fetch: fetch (undici) takes a custom lookup only
 * through an undici Agent, and Node 20 does not expose undici's classes without the package.
 * No redirects are followed (a 3xx is a failed attempt), no connection is reused (each delivery
 * resolves and checks afresh), and an IP literal in the URL, which never reaches a lookup, is
 * checked here. The receiver's answer is kept only when it came from a public address: with
 * private targets allowed (tests, an operator's own network) an internal service's reply must
 * not be shown to whoever registered the URL.
 */
export function postWebhook(request: {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
}): Promise<WebhookAnswer> {
  const failed = (error: string): WebhookAnswer => ({ statusCode: null, error, responseExcerpt: null });
  let target: ReturnType<typeof parseWebhookUrl>;
  try {
    target = parseWebhookUrl(request.url, 'url');
  } catch (e) {
    return Promise.resolve(failed(`refused: ${(e as Error).message}`));
  }
  if (ipaddr.isValid(target.host) && !request.allowPrivate) {
    const reason = nonGlobalReason(target.host);
    if (reason) return Promise.resolve(failed(`refused: ${reason}`));
  }
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const outgoing = client.request(
      target.url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
        agent: false,
        lookup: pinnedPublicLookup(request.allowPrivate),
        signal: AbortSignal.timeout(request.timeoutMs),
      },
      (response) => {
        const peerIsPublic = nonGlobalReason(response.socket.remoteAddress ?? '') === null;
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < EXCERPT_CHARS) text += chunk;
          else response.destroy();
        });
        const done = () =>
          resolve({
            statusCode: response.statusCode ?? null,
            error: null,
            responseExcerpt: peerIsPublic ? text.slice(0, EXCERPT_CHARS) : null,
          });
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      },
    );
    outgoing.on('error', (e) => resolve(failed(e.message.slice(0, EXCERPT_CHARS))));
    outgoing.end(request.body);
  });
}
