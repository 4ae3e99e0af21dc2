import { z } from 'zod';
import { loadClaimPolicy } from '../claims/claim-policy.ts';
import { recordClaimEvent } from '../claims/history.ts';
import { lockClaim } from '../claims/store.ts';
import { findProduct } from '../marketplace/store.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { notFound } from '../platform/errors.ts';
import { severityRank } from './hazards.ts';
import { HAZARDS, SEVERITIES } from './lexicon.ts';
import { evaluateProductAlerts } from './product-alerts.ts';

export const ZHazardCoding = z
  .object({
    hazard: z.enum(HAZARDS).describe('The hazard the person reads in the narrative'),
    severity: z.enum(SEVERITIES).describe('The harm that happened, as stated (not what could have happened)'),
    note: z.string().trim().max(2000).optional().describe('Why, for the next person to read'),
  })
  .meta({
    example: {
      hazard: 'strangulation_entrapment',
      severity: 'hospitalisation',
      note: 'Strap around the neck',
    },
  });
export type HazardCoding = z.infer<typeof ZHazardCoding>;

/**
 * A person codes a claim's hazard and severity. Their coding replaces the machine's in
 * `claim_hazards` (so clusters, rates and the safety record count it), the machine's verdict is
 * kept beside it, and the pair is a label for `redress safety fit`. A claim that was waiting for
 * this coding now has its product's thresholds checked, with the person's hazard and severity:
 * that is how an uncertain claim reaches an alert, and only then.
 */
export async function codeClaimHazard(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  coding: HazardCoding,
) {
  const claim = await lockClaim(tx, claimId);
  const row = claim
    ? await tx
        .selectFrom('claim_hazards')
        .selectAll()
        .where('claim_id', '=', claimId)
        .forUpdate()
        .executeTakeFirst()
    : undefined;
  if (!claim || !row) throw notFound('classified claim', claimId);
  const severity = severityRank(coding.severity);
  const wasPending = row.review_status === 'pending';
  const coded = await tx
    .updateTable('claim_hazards')
    .set({
      hazard: coding.hazard,
      severity,
      review_status: 'coded',
      machine_hazard: row.machine_hazard ?? row.hazard,
      machine_severity: row.machine_severity ?? row.severity,
      coded_by: principal.partyId ?? principal.keyId,
      coded_at: ctx.clock.now(),
    })
    .where('claim_id', '=', claimId)
    .returningAll()
    .executeTakeFirstOrThrow();
  const recorded = await recordClaimEvent(tx, ctx.clock, claim, {
    type: 'claim.hazard_coded',
    actor: principal,
    reason: coding.note ?? coding.hazard,
    data: {
      hazard: coding.hazard,
      severity: coding.severity,
      machine: { hazard: coded.machine_hazard, severity: SEVERITIES[(coded.machine_severity ?? 1) - 1] },
    },
  });
  if (wasPending) {
    const product = await findProduct(tx, row.product_id);
    const { policy } = await loadClaimPolicy(tx, recorded);
    if (product)
      await evaluateProductAlerts(tx, ctx, {
        claim: recorded,
        product,
        hazard: coding.hazard,
        severity,
        rules: policy.safety,
      });
  }
  return coded;
}
