import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { screenEvidence } from '../screening/screen-evidence.ts';
import { requireClaimActor } from './access.ts';
import { sanitiseEvidence } from './evidence/sanitise.ts';
import { EVIDENCE_EXAMPLE } from './examples.ts';
import { recordClaimEvent } from './history.ts';
import { lockClaim } from './store.ts';

/** What may be attached: photos and documents, recognised by their content, not their name. */
export const ACCEPTED_EVIDENCE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;

export const EVIDENCE_PURPOSES = [
  'photo',
  'receipt',
  'medical_bill',
  'repair_quote',
  'report',
  'defense',
  'other',
] as const;

export const ZEvidence = z
  .object({
    id: z.string(),
    claimId: z.string(),
    sha256: z.string(),
    mediaType: z.string(),
    sizeBytes: z.number().int(),
    filename: z.string().nullable(),
    purpose: z.enum(EVIDENCE_PURPOSES),
    uploadedBy: z.object({ role: z.string() }),
    createdAt: z.string(),
  })
  .meta({ id: 'Evidence', example: EVIDENCE_EXAMPLE });

export type EvidenceView = z.infer<typeof ZEvidence>;

// A closed claim still takes evidence: a claim paid and closed at once (recovery waived) may
// receive its photo a moment later, and that photo must still be screened (issue 18).
const CLOSED_TO_EVIDENCE = new Set(['withdrawn']);

/**
 * Stores the file in the blob store (content-addressed, so the same file is kept once) and
 * records it on the claim. The blob is written before the transaction commits; a rollback
 * leaves an unreferenced blob, never a reference to a missing one.
 */
export async function addEvidence(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  file: { bytes: Buffer; filename: string | null; purpose: (typeof EVIDENCE_PURPOSES)[number] },
): Promise<EvidenceView> {
  const claim = requireClaimActor(principal, await lockClaim(tx, claimId), claimId, [
    'customer',
    'seller',
    'agent',
    'tpa',
  ]);
  if (CLOSED_TO_EVIDENCE.has(claim.status)) {
    throw new AppError('conflict', `claim ${claimId} is ${claim.status} and takes no more evidence`);
  }
  if (file.bytes.length === 0)
    throw new AppError('validation_failed', 'the file is empty', {
      errors: [{ field: 'file', rule: 'must not be empty' }],
    });
  // Imported with the first upload: file-type and its readers are 35 modules a server at rest does not need.
  const { fileTypeFromBuffer } = await import('file-type');
  const detected = await fileTypeFromBuffer(file.bytes);
  const mediaType = detected?.mime;
  if (!mediaType || !(ACCEPTED_EVIDENCE_TYPES as readonly string[]).includes(mediaType)) {
    throw new AppError(
      'unsupported_media_type',
      `the file's content is ${mediaType ?? 'not a recognised format'}; accepted: ${ACCEPTED_EVIDENCE_TYPES.join(', ')}`,
      { errors: [{ field: 'file', rule: `content must be one of ${ACCEPTED_EVIDENCE_TYPES.join(', ')}` }] },
    );
  }
  // The hash of the bytes as sent is the duplicate-file signal; what is kept and served is the
  // sanitised copy (no photo metadata), stored under its own hash.
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  const stored = await sanitiseEvidence(file.bytes, mediaType);
  const contentSha256 = createHash('sha256').update(stored.bytes).digest('hex');
  await ctx.blobs.put(contentSha256, stored.bytes, tx);
  const now = ctx.clock.now();
  const id = newId('evidence', ctx.clock);
  const row = await tx
    .insertInto('evidence')
    .values({
      id,
      claim_id: claimId,
      marketplace_id: claim.marketplace_id,
      sha256,
      content_sha256: contentSha256,
      media_type: mediaType,
      size_bytes: stored.bytes.length,
      filename: file.filename,
      purpose: file.purpose,
      uploaded_by_role: principal.role,
      uploaded_by_id: principal.partyId,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordClaimEvent(tx, ctx.clock, claim, {
    type: 'claim.evidence_added',
    actor: principal,
    reason: file.purpose,
    data: { evidenceId: id, sha256, mediaType, sizeBytes: stored.bytes.length },
  });
  // A seller's own defense files are not the claimant's evidence and are not screened.
  if (principal.role !== 'seller')
    await screenEvidence(tx, ctx, principal, claimId, { id, bytes: stored.bytes, mediaType });
  return toEvidenceView(row);
}

export function toEvidenceView(row: {
  id: string;
  claim_id: string;
  sha256: string;
  media_type: string;
  size_bytes: number;
  filename: string | null;
  purpose: string;
  uploaded_by_role: string;
  created_at: Date;
}): EvidenceView {
  return {
    id: row.id,
    claimId: row.claim_id,
    sha256: row.sha256,
    mediaType: row.media_type,
    sizeBytes: row.size_bytes,
    filename: row.filename,
    purpose: row.purpose as EvidenceView['purpose'],
    uploadedBy: { role: row.uploaded_by_role },
    createdAt: row.created_at.toISOString(),
  };
}
