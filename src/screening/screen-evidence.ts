import { recordClaimEvent } from '../claims/history.ts';
import { holdFlaggedClaim } from '../claims/hold-flagged-claim.ts';
import type { RiskAssessment } from '../claims/risk.ts';
import type { ClaimRow } from '../claims/store.ts';
import { lockClaim } from '../claims/store.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import { json, type Tx } from '../platform/db/sql.ts';
import { duplicateEvidence } from './facts-store.ts';
import { perceptualHash, phashChunks } from './phash.ts';
import { referClaim } from './refer-to-expert.ts';

/**
 * Evidence is checked when it arrives: the photo's perceptual hash is indexed, and a file or
 * photo already used on another claim flags this one. A claim still being decided goes to an
 * expert. One already approved has its payout held and goes to an expert or an agent; one
 * already paid goes to recovery from the claimant. Files sent with the filing itself arrive
 * while the claim is in `screening`: they are only indexed here, and the filing's own
 * screening (which runs next, in the same transaction) sees them before the decision.
 */
export async function screenEvidence(
  tx: Tx,
  ctx: AppContext,
  actor: Principal,
  claimId: string,
  evidence: { id: string; bytes: Buffer; mediaType: string },
): Promise<void> {
  if (evidence.mediaType.startsWith('image/')) {
    const phash = await perceptualHash(evidence.bytes);
    if (phash) {
      await tx.updateTable('evidence').set({ phash }).where('id', '=', evidence.id).execute();
      await tx
        .insertInto('evidence_phash_chunks')
        .values(
          phashChunks(phash).map((value, chunk) => ({
            evidence_id: evidence.id,
            claim_id: claimId,
            chunk,
            value,
          })),
        )
        .execute();
    }
  }
  const claim = await lockClaim(tx, claimId);
  if (!claim || claim.status === 'screening') return;
  const duplicates = await duplicateEvidence(tx, claimId);
  if (duplicates.sameFile.length === 0 && duplicates.samePhoto.length === 0) return;
  const risk = (claim.risk as RiskAssessment | null) ?? {
    score: 0,
    signals: [],
    outcome: 'pass',
    hardRule: null,
  };
  const known = new Set(risk.signals.map((s) => s.code));
  const added = [
    ...(duplicates.sameFile.length && !known.has('duplicate_evidence_file')
      ? [
          {
            code: 'duplicate_evidence_file',
            reason: `an identical file (SHA-256) is evidence on claim(s) ${duplicates.sameFile.join(', ')}`,
            weight: 4,
          },
        ]
      : []),
    ...(duplicates.samePhoto.length && !known.has('similar_photo_elsewhere')
      ? [
          {
            code: 'similar_photo_elsewhere',
            reason: `the same photo, re-encoded or resized, is evidence on claim(s) ${duplicates.samePhoto.join(', ')}`,
            weight: 3.5,
          },
        ]
      : []),
  ];
  if (added.length === 0) return;
  const hardRule = added[0]?.code ?? null;
  const updatedRisk: RiskAssessment = {
    ...risk,
    signals: [...risk.signals, ...added],
    hardRule,
    outcome: 'expert',
  };
  const flagged: ClaimRow = await recordClaimEvent(
    tx,
    ctx.clock,
    claim,
    {
      type: 'claim.risk_flagged',
      actor,
      reason: hardRule,
      data: { evidenceId: evidence.id, signals: added },
    },
    { risk: json(updatedRisk) },
  );
  const flag = { reason: hardRule ?? 'duplicate_evidence', actor };
  if (['awaiting_seller', 'under_review', 'needs_info'].includes(flagged.status)) {
    await referClaim(tx, ctx, flagged, flag);
  } else if (['approved', 'paid', 'closed'].includes(flagged.status)) {
    await holdFlaggedClaim(tx, ctx, flagged, flag);
  }
}
