import { z } from 'zod';
import { ZExternalId, ZIsoDateTime } from '../platform/ids.schemas.ts';
import { LANGUAGES } from '../platform/locale.ts';
import { ZMoney } from '../platform/money.ts';
import { ZPolicy } from './policy.ts';

export { ZExternalId, ZIsoDateTime };

export const ZMarketplaceInput = z
  .object({
    name: z.string().min(1).max(200),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code of three capital letters'),
    region: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 country code of two capital letters'),
    holidayCalendar: z
      .string()
      .regex(
        /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/,
        'must be a country code, optionally with a state: US, US-NY, GB-ENG',
      )
      .optional()
      .describe('Defaults to the region'),
    timeZone: z.string().min(1).max(64).describe('IANA time zone, e.g. America/New_York'),
    locale: z
      .string()
      .regex(/^[a-z]{2}-[A-Z]{2}$/, 'must be a language and a country: en-US, en-GB, de-DE')
      .optional()
      .describe(
        "How the marketplace writes to people: a new customer's language (en, es or de; others read English) and how dates and money read. Defaults to English in the region (en-GB for GB); kept when left out of a later PUT",
      ),
    policy: ZPolicy.partial()
      .prefault({})
      .describe("Every field is optional, with the US defaults; amounts in the marketplace's currency"),
  })
  .meta({
    example: {
      name: 'Example Marketplace UK',
      currency: 'GBP',
      region: 'GB',
      holidayCalendar: 'GB-ENG',
      timeZone: 'Europe/London',
      locale: 'en-GB',
      policy: { smallClaimLimit: 100000, sellerResponseBusinessDays: 2 },
    },
    examples: [
      {
        name: 'Example Marketplace US',
        currency: 'USD',
        region: 'US',
        holidayCalendar: 'US',
        timeZone: 'America/New_York',
        locale: 'en-US',
        policy: { smallClaimLimit: 100000, sellerResponseBusinessDays: 2 },
      },
      {
        name: 'Beispiel-Marktplatz Deutschland',
        currency: 'EUR',
        region: 'DE',
        holidayCalendar: 'DE',
        timeZone: 'Europe/Berlin',
        locale: 'de-DE',
        policy: { smallClaimLimit: 100000 },
      },
    ],
  });

export const ZSellerInput = z
  .object({
    marketplaceId: ZExternalId.describe('The home marketplace: its policy governs the seller’s insurance'),
    otherMarketplaceIds: z
      .array(ZExternalId)
      .max(50)
      .optional()
      .describe(
        'Other marketplaces the seller also sells in, under the same id: one identity, a ledger account per marketplace (so per currency). Added to the ones already listed; a marketplace is never taken away',
      ),
    name: z.string().min(1).max(200),
    standing: z.enum(['good', 'not_compliant']),
    kind: z
      .enum(['third_party', 'first_party'])
      .default('third_party')
      .describe('first_party is the marketplace selling on its own account: not covered by the guarantee'),
    contact: z.object({
      email: z.email(),
      phone: z.string().max(40).optional(),
      address: z.string().max(500).optional(),
    }),
  })
  .meta({
    example: {
      marketplaceId: 'demo-uk',
      otherMarketplaceIds: ['demo-de'],
      name: 'Hearth & Home Ltd',
      standing: 'good',
      contact: { email: 'claims@hearth.example' },
    },
    examples: [
      {
        marketplaceId: 'demo-us',
        name: 'Acme Home Goods',
        standing: 'good',
        contact: { email: 'claims@acme.example' },
      },
      {
        marketplaceId: 'demo-uk',
        otherMarketplaceIds: ['demo-de'],
        name: 'Hearth & Home Ltd',
        standing: 'good',
        contact: { email: 'claims@hearth.example' },
      },
    ],
  });

export const ZProductInput = z
  .object({
    sellerId: ZExternalId,
    title: z.string().min(1).max(300),
    category: z.string().min(1).max(100),
    brand: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('Brand or manufacturer; public recalls are matched on it'),
    upc: z
      .string()
      .regex(/^[0-9 -]{8,20}$/, 'a UPC or EAN: 8 to 14 digits')
      .optional()
      .describe('UPC-A or EAN-13; a public recall naming it matches exactly'),
    modelNumber: z.string().min(1).max(100).optional().describe('The maker’s model number'),
  })
  .meta({
    example: {
      sellerId: 'slr-acme',
      title: 'Electric kettle 1.7 l',
      category: 'kitchen_appliances',
      brand: 'Acme',
      modelNumber: 'EK-1700',
    },
  });

export const ZCustomerInput = z
  .object({
    marketplaceId: ZExternalId,
    name: z.string().min(1).max(200),
    email: z.email(),
    language: z
      .enum(LANGUAGES)
      .optional()
      .describe("The language of the customer's e-mails; defaults to the marketplace's, kept when left out"),
    accountCreatedAt: ZIsoDateTime.optional().describe('When the customer opened the marketplace account'),
    birthYear: z
      .number()
      .int()
      .min(1900)
      .max(2100)
      .optional()
      .describe('Shown to experts only as an age band'),
    region: z
      .string()
      .max(100)
      .optional()
      .describe('State or province; shown to experts instead of the address'),
    identity: z
      .object({
        address: z.string().max(500).optional(),
        phone: z.string().max(40).optional(),
        paymentFingerprint: z.string().max(200).optional(),
        deviceId: z.string().max(200).optional(),
      })
      .optional()
      .describe('Kept only as hashes, to link accounts that share them; never shown'),
  })
  .meta({
    example: {
      marketplaceId: 'demo-us',
      name: 'Dana Reyes',
      email: 'dana@example.com',
      accountCreatedAt: '2021-03-02T10:00:00Z',
      birthYear: 1988,
      region: 'US-NY',
      identity: {
        address: '12 Elm St, Albany NY',
        phone: '+1 518 555 0101',
        paymentFingerprint: 'card_fp_9a8b',
        deviceId: 'dev_77',
      },
    },
  });

export const ZOrderLineInput = z.object({
  lineId: ZExternalId,
  productId: ZExternalId,
  sellerId: ZExternalId,
  quantity: z.number().int().positive(),
  unitPrice: ZMoney.refine((m) => m.value >= 0, { message: 'must not be negative', path: ['value'] }),
  deliveredAt: ZIsoDateTime.nullable(),
});

export const ZOrderInput = z
  .object({
    marketplaceId: ZExternalId,
    customerId: ZExternalId,
    lines: z.array(ZOrderLineInput).min(1).max(500),
  })
  .refine((o) => new Set(o.lines.map((l) => l.lineId)).size === o.lines.length, {
    message: 'lineId must be unique within the order',
    path: ['lines'],
  })
  .meta({
    example: {
      marketplaceId: 'demo-us',
      customerId: 'cus-dana',
      lines: [
        {
          lineId: '1',
          productId: 'prd-kettle',
          sellerId: 'slr-acme',
          quantity: 1,
          unitPrice: { value: 4999, currency: 'USD' },
          deliveredAt: '2026-11-02T15:00:00Z',
        },
      ],
    },
  });

export type MarketplaceInput = z.infer<typeof ZMarketplaceInput>;
export type SellerInput = z.infer<typeof ZSellerInput>;
export type ProductInput = z.infer<typeof ZProductInput>;
export type CustomerInput = z.infer<typeof ZCustomerInput>;
export type OrderInput = z.infer<typeof ZOrderInput>;
