import { describe, expect, it } from 'vitest';
import { bands, shingles, signature, similarity } from './minhash.ts';

const original =
  'The space heater tipped over in the night and set fire to the living room rug, the sofa and the curtains.';

describe('MinHash narratives', () => {
  it('scores a copy-paste with small edits as near-duplicate', () => {
    const edited = original.replace('the night', 'the evening').replace('curtains', 'blinds');
    expect(similarity(signature(original), signature(edited))).toBeGreaterThan(0.5);
  });

  it('scores an unrelated narrative far apart', () => {
    const other = 'My toddler swallowed a button battery from the remote control and needed surgery.';
    expect(similarity(signature(original), signature(other))).toBeLessThan(0.1);
  });

  it('is stable and ignores case and punctuation', () => {
    expect(signature(original)).toEqual(signature(original.toUpperCase().replace(/,/g, ' ')));
    expect(bands(signature(original))).toHaveLength(16);
  });

  it('shingles short texts', () => {
    expect([...shingles('Burned hand')]).toEqual(['burned hand']);
    expect(shingles('')).toEqual(new Set());
  });
});
