import { z } from 'zod';
import { REVIEW_REASONS, type ReviewReason } from './hazards.ts';
import { HAZARDS, type Hazard, SEVERITIES } from './lexicon.ts';
import type { ClaimHazardRow } from './store.ts';

const ZSeverity = z.enum(SEVERITIES);

export const HAZARD_CODING_EXAMPLE = {
  claimId: 'clm_01m8mde2p1kh4908cmvand5570',
  productId: 'prd-heater',
  description: 'The strap got wrapped around his neck, he could have died.',
  hazard: 'strangulation_entrapment',
  secondary: ['choking_ingestion'],
  confidence: 0.72,
  severity: 'injury',
  reviewReasons: ['unasserted_severe_mention'],
  terms: { hazard: ['around his neck'], severity: [], unasserted: ['died (hypothetical)'] },
  reviewStatus: 'pending',
  machine: null,
  codedBy: null,
  codedAt: null,
};

export const ZClaimHazardCoding = z
  .object({
    claimId: z.string(),
    productId: z.string(),
    description: z.string().nullable().describe('The narrative (in the queue; null in a coding answer)'),
    hazard: z.enum(HAZARDS),
    secondary: z.array(z.enum(HAZARDS)),
    confidence: z.number().describe('0–1, the machine’s confidence in its primary hazard'),
    severity: ZSeverity,
    reviewReasons: z.array(z.enum(REVIEW_REASONS)).describe('Why the claim needs a person'),
    terms: z
      .record(z.string(), z.array(z.string()))
      .describe('The phrases that decided the verdict, and those it read as negated or hypothetical'),
    reviewStatus: z.enum(['pending', 'coded']).nullable(),
    machine: z
      .object({ hazard: z.enum(HAZARDS), severity: ZSeverity })
      .nullable()
      .describe('What the machine said, once a person has coded the claim'),
    codedBy: z.string().nullable(),
    codedAt: z.string().nullable(),
  })
  .meta({ example: HAZARD_CODING_EXAMPLE });

const severityLabel = (rank: number) => SEVERITIES[rank - 1] ?? 'injury';

export function toHazardCodingView(
  row: ClaimHazardRow & { description?: string },
): z.infer<typeof ZClaimHazardCoding> {
  return {
    claimId: row.claim_id,
    productId: row.product_id,
    description: row.description ?? null,
    hazard: row.hazard as Hazard,
    secondary: row.secondary as Hazard[],
    confidence: row.confidence,
    severity: severityLabel(row.severity),
    reviewReasons: row.review_reasons as ReviewReason[],
    terms: row.terms as Record<string, string[]>,
    reviewStatus: row.review_status,
    machine:
      row.machine_hazard === null
        ? null
        : { hazard: row.machine_hazard as Hazard, severity: severityLabel(row.machine_severity ?? 1) },
    codedBy: row.coded_by,
    codedAt: row.coded_at?.toISOString() ?? null,
  };
}
