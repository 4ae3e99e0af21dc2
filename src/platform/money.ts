import { z } from 'zod';
import { numberFormat } from './locale.ts';

/** Money is always an integer count of the currency's minor units (cents) plus its ISO 4217 code. */
export const ZMoney = z
  .object({
    value: z.number().int().describe('Amount in minor units of the currency (e.g. cents)'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code of three capital letters')
      .describe('ISO 4217 currency code'),
  })
  .meta({ example: { value: 45000, currency: 'USD' } });

export type Money = z.infer<typeof ZMoney>;

export const money = (value: number, currency: string): Money => ({ value, currency });

/**
 * Money as a reader of `locale` writes it: `$1,000.00`, `£1,000.00`, `1.000,00 €`. The minor
 * units per currency come from Intl (two for USD, GBP, EUR; none for JPY).
 */
export function formatMoney(m: Money, locale = 'en-US'): string {
  const format = numberFormat(locale, { style: 'currency', currency: m.currency });
  const minorDigits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(m.value / 10 ** minorDigits);
}
