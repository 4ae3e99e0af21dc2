import { z } from 'zod';
import { PUBLIC_RECALL_MATCH_EXAMPLE } from './examples.ts';
import type { PublicRecallMatchRow, PublicRecallRow } from './match-public-recalls.ts';

export const ZPublicRecall = z
  .object({
    id: z.string(),
    recallNumber: z.string(),
    recallDate: z.string().nullable(),
    title: z.string(),
    hazards: z.array(z.string()),
    remedy: z.string(),
    brands: z.array(z.string()),
    manufacturers: z.array(z.string()),
    modelNumbers: z.array(z.string()),
    upcs: z.array(z.string()),
    url: z.string().nullable(),
  })
  .meta({ id: 'PublicRecall' });

export const toPublicRecallView = (r: PublicRecallRow): z.infer<typeof ZPublicRecall> => ({
  id: r.id,
  recallNumber: r.recall_number,
  recallDate: r.recall_date,
  title: r.title,
  hazards: r.hazards,
  remedy: r.remedy,
  brands: r.brands,
  manufacturers: r.manufacturers,
  modelNumbers: r.model_numbers,
  upcs: r.upcs,
  url: r.url,
});

export const ZPublicRecallMatch = z
  .object({
    id: z.string(),
    productId: z.string(),
    method: z.enum(['upc', 'model_number', 'brand_title']),
    score: z
      .number()
      .describe(
        '1 for an exact code; for brand and title, the share of the product’s title words the notice names',
      ),
    matchedTerms: z.array(z.string()),
    status: z.enum(['pending', 'confirmed', 'rejected']),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    note: z.string().nullable(),
    createdAt: z.string(),
    recall: ZPublicRecall,
  })
  .meta({ id: 'PublicRecallMatch', example: PUBLIC_RECALL_MATCH_EXAMPLE });

export const toPublicRecallMatchView = (
  m: PublicRecallMatchRow,
  recall: PublicRecallRow,
): z.infer<typeof ZPublicRecallMatch> => ({
  id: m.id,
  productId: m.product_id,
  method: m.method,
  score: Number(m.score),
  matchedTerms: m.matched_terms,
  status: m.status,
  decidedBy: m.decided_by,
  decidedAt: m.decided_at?.toISOString() ?? null,
  note: m.note,
  createdAt: m.created_at.toISOString(),
  recall: toPublicRecallView(recall),
});
