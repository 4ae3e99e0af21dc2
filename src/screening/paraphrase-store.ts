import type { ClaimRow } from '../claims/store.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { json } from '../platform/db/sql.ts';
import { compareSignatures, isParaphrase, paraphraseBands, paraphraseSignature } from './paraphrase.ts';

/** The closest retelling of this claim's story by another claimant, if one passes the rule. */
export interface ParaphraseMatch {
  claimId: string;
  similarity: number;
  sharedLemmas: number;
}

/**
 * Stores the claim's paraphrase fingerprint and finds the closest earlier narrative of another
 * claimant that retells it. Two statements on the filing path beside the fingerprint's own
 * writes: a band lookup (index `claim_paraphrase_bands_hash`) capped at 50 candidates, measured
 * here in memory. Called once from facts-store.ts; kept apart so that file's single facts query
 * stays the other signals' own.
 */
export async function indexAndFindParaphrase(
  db: Queryable,
  claim: ClaimRow,
): Promise<ParaphraseMatch | null> {
  const sig = paraphraseSignature(claim.description);
  const bandHashes = paraphraseBands(sig);
  await db.deleteFrom('claim_paraphrase_bands').where('claim_id', '=', claim.id).execute();
  await db
    .insertInto('claim_paraphrase_signatures')
    .values({ claim_id: claim.id, customer_id: claim.customer_id, signature: json(sig) })
    .onConflict((oc) => oc.column('claim_id').doUpdateSet({ signature: json(sig) }))
    .execute();
  if (bandHashes.length === 0) return null;
  await db
    .insertInto('claim_paraphrase_bands')
    .values(bandHashes.map((hash, band) => ({ claim_id: claim.id, band, hash })))
    .execute();
  const candidates = await db
    .selectFrom('claim_paraphrase_bands as b')
    .innerJoin('claim_paraphrase_signatures as s', 's.claim_id', 'b.claim_id')
    .select(['s.claim_id', 's.signature'])
    .distinct()
    .where((eb) =>
      eb.or(bandHashes.map((hash, band) => eb.and([eb('b.band', '=', band), eb('b.hash', '=', hash)]))),
    )
    .where('s.customer_id', '!=', claim.customer_id)
    .limit(50)
    .execute();
  let best: ParaphraseMatch | null = null;
  for (const candidate of candidates) {
    const match = compareSignatures(sig, candidate.signature);
    if (isParaphrase(match) && (!best || match.similarity > best.similarity))
      best = { claimId: candidate.claim_id, ...match };
  }
  return best;
}
