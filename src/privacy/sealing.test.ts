import { describe, expect, it } from 'vitest';
import { blindIndex, isSealed, newDataKey, open, seal, unwrapKey, wrapKey } from './sealing.ts';

describe('sealing personal data', () => {
  const key = newDataKey();

  it('round-trips a value and never stores it in clear', () => {
    const sealed = seal(key, 'Dana Whitfield, burnt hand', 'customer:cus_1:claim:clm_1:description');
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('Dana');
    expect(open(key, sealed, 'customer:cus_1:claim:clm_1:description')).toBe('Dana Whitfield, burnt hand');
  });

  it('gives a different ciphertext each time (random IV)', () => {
    expect(seal(key, 'same', 'a')).not.toBe(seal(key, 'same', 'a'));
  });

  it('refuses a value moved to another owner or field, altered, or opened with another key', () => {
    const sealed = seal(key, 'dana@example.com', 'customer:cus_1:customer.email');
    expect(() => open(key, sealed, 'customer:cus_2:customer.email')).toThrow();
    expect(() => open(key, sealed, 'customer:cus_1:customer.name')).toThrow();
    expect(() => open(newDataKey(), sealed, 'customer:cus_1:customer.email')).toThrow();
    const flipped = `${sealed.slice(0, -3)}${sealed.at(-3) === 'A' ? 'B' : 'A'}${sealed.slice(-2)}`;
    expect(() => open(key, flipped, 'customer:cus_1:customer.email')).toThrow();
  });

  it('wraps a data key under a master key, bound to its owner', () => {
    const master = newDataKey();
    const wrapped = wrapKey(master, key, 'customer:cus_1');
    expect(unwrapKey(master, wrapped, 'customer:cus_1').equals(key)).toBe(true);
    expect(() => unwrapKey(master, wrapped, 'customer:cus_2')).toThrow();
  });

  it('indexes names and e-mails by keyed hash, equal after normalisation, apart by field and key', () => {
    const indexKey = newDataKey();
    expect(blindIndex(indexKey, 'name', '  Dana   WHITFIELD ')).toBe(
      blindIndex(indexKey, 'name', 'dana whitfield'),
    );
    expect(blindIndex(indexKey, 'name', 'dana')).not.toBe(blindIndex(indexKey, 'email', 'dana'));
    expect(blindIndex(indexKey, 'name', 'dana')).not.toBe(blindIndex(newDataKey(), 'name', 'dana'));
  });
});
