import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The fields of an event that its hash covers, in the shape `GET /v1/claims/{id}/events` returns. */
export interface ChainedEventContent {
  id: string;
  seq: number;
  type: string;
  at: string;
  actor: { role: string; id: string | null };
  reason: string | null;
  data: Record<string, unknown>;
}

/**
 * hash = SHA-256 hex of (previous event's hash, or "" for the first) + "\n" + the event's
 * content as RFC 8785 canonical JSON. Anyone holding the events can recompute the chain; an
 * edit to any stored event breaks every hash after it.
 */
export function eventHash(prevHash: string, content: ChainedEventContent): string {
  const canonical = canonicalize(content) ?? '';
  return createHash('sha256').update(`${prevHash}\n${canonical}`).digest('hex');
}

export interface ChainCheck {
  valid: boolean;
  /** The first event whose stored hash or link does not match, when invalid. */
  brokenAtSeq: number | null;
}

export function verifyChain(
  events: (ChainedEventContent & { prevHash: string; hash: string })[],
): ChainCheck {
  let prev = '';
  for (const event of events) {
    const { prevHash, hash, ...content } = event;
    if (prevHash !== prev || eventHash(prev, content) !== hash)
      return { valid: false, brokenAtSeq: event.seq };
    prev = hash;
  }
  return { valid: true, brokenAtSeq: null };
}
