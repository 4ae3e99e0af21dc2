import { randomFillSync } from 'node:crypto';

/**
 * Crypto-random bytes taken from a pool refilled 4 KiB at a time. Ids draw sixteen bytes one at a
 * time and every sealed value a 12-byte IV, several of each per filing: asked of crypto one call
 * at a time, the calls showed in the filing's profile (docs/performance.md). The bytes are the
 * same generator's; each is handed out once.
 */
const pool = new Uint8Array(4096);
let drawn = pool.length;

function refillIfShort(count: number): void {
  if (drawn + count > pool.length) {
    randomFillSync(pool);
    drawn = 0;
  }
}

/** One random byte. */
export function randomByte(): number {
  refillIfShort(1);
  return pool[drawn++] as number;
}

/** `count` random bytes (at most the pool's size), in a buffer of their own. */
export function randomBytesFromPool(count: number): Buffer {
  if (count > pool.length) throw new RangeError(`at most ${pool.length} bytes are drawn from the pool`);
  refillIfShort(count);
  const bytes = Buffer.from(pool.subarray(drawn, drawn + count));
  drawn += count;
  return bytes;
}
