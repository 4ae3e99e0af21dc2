import { z } from 'zod';

/*
 * The seller's answer to a claim, in a zod-only module: the API route validates with it and the
 * web app's answer form can check the same rules (a defense of at least 20 characters) before
 * sending.
 */

export const ZSellerResponseRequest = z
  .discriminatedUnion('action', [
    z.object({ action: z.literal('accept').describe('The seller pays the claim') }),
    z.object({
      action: z
        .literal('tender')
        .describe(
          'The insurer whose verified policy covered the incident date answers: it pays, declines or asks',
        ),
    }),
    z.object({
      action: z.literal('dispute'),
      defense: z.string().trim().min(20, 'must explain the defense in at least 20 characters').max(20_000),
      evidenceIds: z.array(z.string()).max(50).default([]),
    }),
  ])
  .meta({
    example: {
      action: 'dispute',
      defense: 'The unit was returned and tested: the thermal fuse works; the damage predates delivery.',
      evidenceIds: ['evd_01jd…'],
    },
  });

export type SellerResponseRequest = z.infer<typeof ZSellerResponseRequest>;
