import { z } from 'zod';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable, Tx } from '../platform/db/sql.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { openPersonal, sealPersonal } from '../privacy/data-keys.ts';
import { CLAIM_HANDLERS, requireClaimActor } from './access.ts';
import { moveClaim, recordClaimEvent } from './history.ts';
import { canTransition } from './lifecycle.ts';
import { type ClaimRow, findClaim, lockClaim } from './store.ts';

/**
 * A claim in litigation: no deadline may move it and nothing automatic may close it. Every timer
 * handler and automatic close asks this first (claims/timers.ts, ledger/timers.ts,
 * ledger/recoveries.ts, insurance/answer-tender.ts).
 */
export const automationHalted = (claim: Pick<ClaimRow, 'matter_opened_at'>): boolean =>
  claim.matter_opened_at !== null;

export const ZOpenMatter = z
  .object({
    cause: z.enum(['claimant_sued', 'counsel_involved']),
    counsel: z.string().trim().min(1).max(2000).optional().describe("Counsel's name, firm and contact"),
    court: z.string().trim().min(1).max(500).optional(),
    caseNumber: z.string().trim().min(1).max(200).optional(),
  })
  .meta({
    example: {
      cause: 'claimant_sued',
      counsel: 'R. Ortiz, Ortiz & Lane LLP, rortiz@ortizlane.example',
      court: 'Superior Court of California, County of Alameda',
      caseNumber: 'RG26-123456',
    },
  });

export const ZCloseMatter = z
  .object({
    note: z.string().trim().min(10, 'must say how the litigation ended in at least 10 characters').max(5000),
  })
  .meta({ example: { note: 'Settled out of court; the marketplace’s payment stands.' } });

export const ZMatter = z
  .object({
    claimId: z.string(),
    cause: z.enum(['claimant_sued', 'counsel_involved']),
    counsel: z.string().nullable(),
    court: z.string().nullable(),
    caseNumber: z.string().nullable(),
    openedAt: z.string(),
    closedAt: z.string().nullable(),
    closingNote: z.string().nullable(),
  })
  .meta({
    id: 'Matter',
    example: {
      claimId: 'clm_01jd8x6m3q9t2v4w5y6z7a8b9c',
      cause: 'claimant_sued',
      counsel: 'R. Ortiz, Ortiz & Lane LLP',
      court: 'Superior Court of California, County of Alameda',
      caseNumber: 'RG26-123456',
      openedAt: '2026-11-20T15:00:00.000Z',
      closedAt: null,
      closingNote: null,
    },
  });

const counselField = (claimId: string) => `claim:${claimId}:matter:counsel`;

/** Staff record that a claim went to litigation. */
export async function openMatter(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  request: z.infer<typeof ZOpenMatter>,
): Promise<ClaimRow> {
  // Marketplace staff, or a TPA on its marketplaces' claims (access.ts), record litigation.
  const claim = requireClaimActor(principal, await lockClaim(tx, claimId), claimId, CLAIM_HANDLERS);
  if (automationHalted(claim)) throw new AppError('conflict', `claim ${claimId} is already a matter`);
  if (['withdrawn', 'closed'].includes(claim.status))
    throw new AppError(
      'conflict',
      `claim ${claimId} is ${claim.status}; a finished claim is not made a matter`,
    );
  const now = ctx.clock.now();
  await tx
    .insertInto('matters')
    .values({
      claim_id: claimId,
      marketplace_id: claim.marketplace_id,
      cause: request.cause,
      counsel: request.counsel
        ? await sealPersonal(tx, claim.customer_id, counselField(claimId), request.counsel)
        : null,
      court: request.court ?? null,
      case_number: request.caseNumber ?? null,
      opened_at: now,
      opened_by_role: principal.role,
      opened_by_id: principal.partyId ?? principal.keyId,
    })
    .onConflict((oc) =>
      oc.column('claim_id').doUpdateSet({ opened_at: now, closed_at: null, cause: request.cause }),
    )
    .execute();
  return recordClaimEvent(
    tx,
    ctx.clock,
    claim,
    { type: 'claim.matter_opened', actor: principal, reason: request.cause, data: {} },
    { matter_opened_at: now },
  );
}

/**
 * A person closes the matter. A paid or denied claim is closed with it (only a person may close
 * a claim in litigation); any other claim goes back to its ordinary handling, its deadlines
 * re-set by whoever works it next.
 */
export async function closeMatter(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  request: z.infer<typeof ZCloseMatter>,
): Promise<ClaimRow> {
  const claim = requireClaimActor(principal, await lockClaim(tx, claimId), claimId, CLAIM_HANDLERS);
  if (!automationHalted(claim)) throw new AppError('conflict', `claim ${claimId} is not a matter`);
  await tx
    .updateTable('matters')
    .set({
      closed_at: ctx.clock.now(),
      closed_by_role: principal.role,
      closed_by_id: principal.partyId ?? principal.keyId,
      closing_note: request.note,
    })
    .where('claim_id', '=', claimId)
    .execute();
  const ended = await recordClaimEvent(
    tx,
    ctx.clock,
    claim,
    { type: 'claim.matter_closed', actor: principal, reason: 'matter_closed', data: {} },
    { matter_opened_at: null },
  );
  if (!canTransition(ended.status as never, 'closed')) return ended;
  return moveClaim(tx, ctx.clock, ended, 'closed', {
    type: 'claim.closed',
    actor: principal,
    reason: 'matter_closed',
  });
}

export async function findMatter(db: Queryable, principal: Principal, claimId: string) {
  // Matters are staff-only: a TPA sees those of its marketplaces' claims, as their claims agent.
  const claim = requireClaimActor(principal, await findClaim(db, claimId), claimId, CLAIM_HANDLERS);
  const row = await db.selectFrom('matters').selectAll().where('claim_id', '=', claimId).executeTakeFirst();
  if (!row) throw notFound('matter of claim', claimId);
  return {
    claimId,
    cause: row.cause,
    counsel: row.counsel
      ? await openPersonal(db, claim.customer_id, counselField(claimId), row.counsel)
      : null,
    court: row.court,
    caseNumber: row.case_number,
    openedAt: row.opened_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    closingNote: row.closing_note,
  };
}
