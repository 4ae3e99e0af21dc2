import { describe, expect, it } from 'vitest';
import { randomByte, randomBytesFromPool } from './random-pool.ts';

describe('the pool of random bytes', () => {
  it('hands out fresh bytes across refills, each buffer its own', () => {
    const first = randomBytesFromPool(12);
    const seen = new Set<string>([first.toString('hex')]);
    // Well past one 4 KiB pool, so refills happen, also in the middle of a draw.
    for (let draw = 0; draw < 1_000; draw++) {
      randomByte();
      const iv = randomBytesFromPool(12);
      expect(iv).toHaveLength(12);
      seen.add(iv.toString('hex'));
    }
    // 96 random bits never repeat in a thousand draws unless bytes are handed out twice.
    expect(seen.size).toBe(1_001);
    const copy = Buffer.from(first);
    for (let draw = 0; draw < 400; draw++) randomBytesFromPool(12);
    expect(first).toEqual(copy);
  });
});
