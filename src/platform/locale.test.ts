import { describe, expect, it } from 'vitest';
import { isKnownLocale, languageOf, readerLocale } from './locale.ts';
import { formatMoney } from './money.ts';

describe('locales', () => {
  it('write to a reader in their language with the marketplace’s regional formats', () => {
    expect(readerLocale('de', 'de-DE')).toBe('de-DE');
    expect(readerLocale('es', 'en-GB')).toBe('es-GB');
    expect(readerLocale('en', 'en')).toBe('en');
    expect(languageOf('de-DE')).toBe('de');
    // A language Redress does not write yet reads English, in its region's formats.
    expect(languageOf('fr-FR')).toBe('en');
    expect(isKnownLocale('en-GB')).toBe(true);
    expect(isKnownLocale('not a locale')).toBe(false);
  });

  it('show money in its own currency and minor digits, as the reader’s locale writes it', () => {
    expect(formatMoney({ value: 100_000, currency: 'USD' })).toBe('$1,000.00');
    expect(formatMoney({ value: 100_000, currency: 'GBP' }, 'en-GB')).toBe('£1,000.00');
    expect(formatMoney({ value: 100_000, currency: 'EUR' }, 'de-DE')).toBe('1.000,00\u00a0€');
    expect(formatMoney({ value: 1_000, currency: 'JPY' }, 'en-GB')).toBe('JP¥1,000');
  });
});
