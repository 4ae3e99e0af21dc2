import { z } from 'zod';

/*
 * An expert's findings, in a zod-only module: the API route validates with it and the web app's
 * findings form checks the same schema, so the two agree on the verdicts and the notes' length.
 */

export const VERDICTS = ['valid', 'unsubstantiated', 'frivolous', 'abusive'] as const;

export const ZFindings = z
  .object({
    verdict: z.enum(VERDICTS),
    notes: z.string().trim().min(10, 'must explain the finding in at least 10 characters').max(20_000),
    confidence: z.number().min(0).max(1),
  })
  .meta({
    example: {
      verdict: 'abusive',
      notes: 'Same photo as three earlier claims by linked accounts.',
      confidence: 0.9,
    },
  });
