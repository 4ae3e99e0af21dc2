import { describe, expect, it } from 'vitest';
import { brandKeysOf, matchProductToRecall, normaliseBrand, normaliseUpc } from './public-recall-matching.ts';

const recall = {
  title: 'Fisher-Price Recalls Rock ‘n Play Sleepers Due to Reports of Deaths',
  productNames: ['Rock ‘n Play Sleeper'],
  brandKeys: brandKeysOf(['Fisher-Price', 'Mattel, Inc.']),
  modelKeys: ['CHP55'],
  upcKeys: [normaliseUpc('887961 12345 6')],
};

describe('public recall matching', () => {
  it('normalises brands: case, punctuation and company forms', () => {
    expect(normaliseBrand('Fisher-Price, Inc.')).toBe('fisher price');
    expect(normaliseBrand('IKEA North America Services, LLC')).toBe('ikea north america services');
    expect(normaliseBrand('The Little Tikes Co.')).toBe('little tikes');
    expect(normaliseBrand('Procter & Gamble Corp')).toBe('procter and gamble');
    expect(normaliseBrand('Inc')).toBe('inc');
  });

  it('reads a UPC-A and the same code as EAN-13 alike, and refuses short codes', () => {
    expect(normaliseUpc('0887961123456')).toBe(normaliseUpc('887961-123456'));
    expect(normaliseUpc('12345')).toBe('');
  });

  it('matches by UPC even under another brand spelling, by model only within the brand', () => {
    const base = { title: 'Baby sleeper', brand: 'Acme', upc: null, modelNumber: null };
    expect(matchProductToRecall({ ...base, upc: '0887961123456' }, recall)?.method).toBe('upc');
    expect(matchProductToRecall({ ...base, modelNumber: 'chp-55' }, recall)).toBeNull();
    expect(
      matchProductToRecall({ ...base, brand: 'fisher price', modelNumber: 'chp-55' }, recall),
    ).toMatchObject({
      method: 'model_number',
      score: 1,
    });
    expect(matchProductToRecall({ ...base, brand: null, modelNumber: 'CHP 55' }, recall)?.method).toBe(
      'model_number',
    );
  });

  it('matches brand and title on enough shared words, not on one', () => {
    const product = { brand: 'Mattel', upc: null, modelNumber: null };
    expect(matchProductToRecall({ ...product, title: 'Rock n Play Sleeper' }, recall)).toEqual({
      method: 'brand_title',
      score: 1,
      terms: ['brand mattel', 'play', 'rock', 'sleeper'],
    });
    expect(
      matchProductToRecall({ ...product, title: 'Musical sleeper mobile with lights' }, recall),
    ).toBeNull();
    expect(
      matchProductToRecall({ ...product, brand: null, title: 'Rock n Play Sleeper' }, recall),
    ).toBeNull();
  });
});
