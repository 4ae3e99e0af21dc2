/**
 * The languages people are written to in, and the locale that says how dates and money read.
 * A marketplace has a locale (`en-US`, `en-GB`, `de-DE`); a customer has a language, by default
 * the marketplace's. An e-mail is written in the customer's language with the marketplace's
 * regional conventions: a Spanish-speaking customer of the UK marketplace reads `es-GB`.
 */
export const LANGUAGES = ['en', 'es', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (code: string): code is Language => (LANGUAGES as readonly string[]).includes(code);

/** The language part of a locale, when it is one we write in; English otherwise. */
export function languageOf(locale: string): Language {
  const language = locale.split('-')[0]?.toLowerCase() ?? '';
  return isLanguage(language) ? language : 'en';
}

/** The locale a person reads: their language, the marketplace's region (`de` + `en-GB` → `de-GB`). */
export function readerLocale(language: string, marketplaceLocale: string): string {
  const region = marketplaceLocale.split('-')[1];
  return region ? `${language}-${region}` : language;
}

/** Whether the runtime's Intl knows the locale (a typo would silently fall back to English). */
export function isKnownLocale(locale: string): boolean {
  try {
    return Intl.getCanonicalLocales(locale).length === 1;
  } catch {
    return false;
  }
}

/**
 * Intl formatters, made once per locale and options and reused: making one loads its ICU data
 * (tens of microseconds, more for a time zone), formatting with it takes about one. A claim's
 * view formats each deadline, and each e-mail its dates and amounts. Options that fail (an
 * unknown zone) throw as before, and are not kept.
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
const FORMATTERS_MAX = 1_000;

function formatter<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let made = formatters.get(key) as T | undefined;
  if (!made) {
    made = make();
    if (formatters.size >= FORMATTERS_MAX) formatters.clear();
    formatters.set(key, made);
  }
  return made;
}

export const dateTimeFormat = (locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat =>
  formatter(`date|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));

export const numberFormat = (locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat =>
  formatter(`number|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));
