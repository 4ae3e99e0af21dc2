import { describe, expect, it } from 'vitest';
import { type ChainedEventContent, eventHash, verifyChain } from './history-chain.ts';

function chain(contents: ChainedEventContent[]) {
  let prev = '';
  return contents.map((content) => {
    const hash = eventHash(prev, content);
    const event = { ...content, prevHash: prev, hash };
    prev = hash;
    return event;
  });
}

const base = (seq: number, type: string): ChainedEventContent => ({
  id: `evt_${seq}`,
  seq,
  type,
  at: `2026-11-2${seq}T10:00:00.000Z`,
  actor: { role: 'customer', id: 'cus_1' },
  reason: null,
  data: { b: 1, a: [1, 2] },
});

describe('the claim history hash chain', () => {
  it('verifies an untouched history', () => {
    expect(verifyChain(chain([base(1, 'claim.filed'), base(2, 'claim.approved')]))).toEqual({
      valid: true,
      brokenAtSeq: null,
    });
  });

  it('does not depend on key order', () => {
    const a = eventHash('', { ...base(1, 'x'), data: { a: 1, b: 2 } });
    const b = eventHash('', { ...base(1, 'x'), data: { b: 2, a: 1 } });
    expect(a).toBe(b);
  });

  it('finds an edited event', () => {
    const events = chain([base(1, 'claim.filed'), base(2, 'claim.approved'), base(3, 'claim.paid')]);
    const edited = events.map((e) => (e.seq === 2 ? { ...e, data: { amount: 1 } } : e));
    expect(verifyChain(edited)).toEqual({ valid: false, brokenAtSeq: 2 });
  });

  it('finds a deleted event', () => {
    const events = chain([base(1, 'claim.filed'), base(2, 'claim.approved'), base(3, 'claim.paid')]);
    expect(verifyChain([events[0]!, events[2]!])).toEqual({ valid: false, brokenAtSeq: 3 });
  });
});
