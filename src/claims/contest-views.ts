import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { ContestsTable } from '../platform/db/database.ts';
import { NO_WAIVER_NOTICE } from './contest-rules.ts';

export type ContestRow = Selectable<ContestsTable>;

export const ZContest = z
  .object({
    id: z.string(),
    claimId: z.string(),
    sellerId: z.string(),
    status: z.enum(['open', 'upheld', 'reversed']).describe('upheld: the resolution and any recovery stand'),
    reason: z.string().describe('The written reason the seller (or its insurer) gave'),
    evidenceIds: z.array(z.string()),
    filedBy: z.object({ role: z.string() }),
    filedAt: z.string(),
    windowClosedAt: z.string().describe('The contest window this contest was filed within'),
    decidedAt: z.string().nullable(),
    decisionNote: z.string().nullable().describe("The agent's explanation to the seller"),
    reversal: z
      .array(z.object({ recoveryId: z.string(), cancelled: z.number(), refunded: z.number() }))
      .nullable()
      .describe('Minor units cancelled and refunded per recovery when reversed'),
    notice: z.string().describe('Taking part waives no rights or defences'),
  })
  .meta({
    id: 'Contest',
    example: {
      id: 'cst_01jd8x6m3q9t2v4w5y6z7a8b9c',
      claimId: 'clm_01jd8x6m3q9t2v4w5y6z7a8b9c',
      sellerId: 'slr_other',
      status: 'open',
      reason: 'The lamp in the photos is not our model: ours has a metal base and a different switch.',
      evidenceIds: ['evd_01jd8x6m3q9t2v4w5y6z7a8b9c'],
      filedBy: { role: 'seller' },
      filedAt: '2026-11-27T15:00:00.000Z',
      windowClosedAt: '2026-12-26T05:00:00.000Z',
      decidedAt: null,
      decisionNote: null,
      reversal: null,
      notice: NO_WAIVER_NOTICE,
    },
  });

export function toContestView(row: ContestRow): z.infer<typeof ZContest> {
  return {
    id: row.id,
    claimId: row.claim_id,
    sellerId: row.seller_id,
    status: row.status,
    reason: row.reason,
    evidenceIds: row.evidence_ids,
    filedBy: { role: row.filed_by_role },
    filedAt: row.filed_at.toISOString(),
    windowClosedAt: row.window_closed_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionNote: row.decision_note,
    reversal: row.reversal,
    notice: NO_WAIVER_NOTICE,
  };
}
