/**
 * Money as the web app shows it. Amounts are integer minor units of the claim's own
 * currency (`{ value, currency }`): the currency decides the symbol and how many minor digits
 * there are (two for USD, GBP and EUR, none for JPY), never the viewer's location. The number
 * style is the viewer's browser's unless a locale is given.
 */
export function formatMoney(m: { value: number; currency: string }, locale?: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: m.currency });
  const minorDigits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(m.value / 10 ** minorDigits);
}

/** Minor units of a currency in one major unit: 100 for USD, GBP and EUR; 1 for JPY. */
export function minorUnitsPerMajor(currency: string): number {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return 10 ** digits;
}
