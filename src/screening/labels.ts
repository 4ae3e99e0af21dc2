import type { RiskAssessment } from '../claims/risk.ts';
import type { ClaimRow } from '../claims/store.ts';
import type { Queryable } from '../platform/db/sql.ts';

/**
 * Every decided claim labels its screening signals as fraudulent or not, so the fraud model can
 * be refitted from outcomes. Its own module because the deciders (decide-claim, payout holds,
 * expert findings) all write labels, and a label must not pull in any of them.
 */
export async function labelOutcome(
  db: Queryable,
  claim: ClaimRow,
  label: { fraudulent: boolean; source: string; at: Date },
): Promise<void> {
  const risk = claim.risk as RiskAssessment | null;
  const signals = risk?.signals.map((s) => s.code) ?? [];
  await db
    .insertInto('screening_labels')
    .values({
      claim_id: claim.id,
      fraudulent: label.fraudulent,
      source: label.source,
      signals: JSON.stringify(signals),
      labelled_at: label.at,
    })
    .onConflict((oc) =>
      oc
        .column('claim_id')
        .doUpdateSet({ fraudulent: label.fraudulent, source: label.source, labelled_at: label.at }),
    )
    .execute();
}
