import { z } from 'zod';
import { ZExternalId, ZIsoDateTime } from '../platform/ids.schemas.ts';
import { ZMoney } from '../platform/money.ts';

/*
 * What a claim filing must hold, in a zod-only module: the API route validates with it and the
 * web app's filing form checks the same schema before sending, so the two cannot drift apart
 * (the form once wanted 20 characters of description where the API wanted 10).
 */

export const DAMAGE_KINDS = [
  'purchase_price',
  'medical_bills',
  'lost_earnings',
  'property_damage',
  'other_economic',
] as const;

export const CLAIM_TYPES = ['property_damage', 'personal_injury'] as const;

/** How a claim reached the marketplace (the rules on who may say which are in filing-channel.ts). */
export const FILING_CHANNELS = ['web', 'api', 'phone', 'email', 'letter', 'chat'] as const;

/** The fewest characters a description of what happened may have. */
export const MIN_DESCRIPTION_LENGTH = 3;

export const ZDamage = z.object({
  kind: z.enum(DAMAGE_KINDS),
  description: z.string().min(1).max(2000),
  amount: ZMoney,
});

export const ZFileClaimRequest = z
  .object({
    customerId: ZExternalId.optional().describe(
      'Required when an agent (or a third-party administrator) files for a customer; a customer files for itself',
    ),
    channel: z
      .enum(FILING_CHANNELS)
      .optional()
      .describe(
        'How the claim came in. Required when staff file for a customer: phone, email, letter or chat (how ' +
          'the customer reached the agent). A customer filing itself may say web or api (api when absent); the ' +
          'staff channels are refused to it (400, naming body.channel)',
      ),
    orderId: ZExternalId,
    lineId: ZExternalId,
    type: z.enum(CLAIM_TYPES),
    incidentAt: ZIsoDateTime,
    description: z
      .string()
      .trim()
      .min(
        MIN_DESCRIPTION_LENGTH,
        `must describe what happened in at least ${MIN_DESCRIPTION_LENGTH} characters`,
      )
      .max(10_000),
    amount: ZMoney,
    damages: z
      .array(ZDamage)
      .min(
        1,
        'list at least one economic loss (purchase price, medical bills, lost earnings, property damage)',
      )
      .max(50),
    evidenceToFollow: z
      .boolean()
      .optional()
      .describe(
        "Photos or documents will be sent after filing: if the claim is approved at once, the marketplace's payout " +
          "waits the policy's evidenceWindowMinutes so each file is screened before money leaves. Files sent with " +
          'the filing itself (multipart) need no window: they are screened before the decision',
      ),
  })
  .meta({
    example: {
      orderId: 'ord-1001',
      lineId: '2',
      customerId: 'cus-dana',
      type: 'property_damage',
      incidentAt: '2026-11-27T18:00:00Z',
      description: 'The charger melted and burned the desk it was lying on.',
      amount: { value: 20499, currency: 'USD' },
      damages: [
        { kind: 'purchase_price', description: 'Charger', amount: { value: 2499, currency: 'USD' } },
        {
          kind: 'property_damage',
          description: 'Desk refinishing quote',
          amount: { value: 18000, currency: 'USD' },
        },
      ],
    },
  });

export type FileClaimRequest = z.infer<typeof ZFileClaimRequest>;
