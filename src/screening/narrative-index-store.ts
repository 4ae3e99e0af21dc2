import { type RawBuilder, sql } from 'kysely';
import type { ClaimRow } from '../claims/store.ts';
import { executePrepared } from '../platform/db/prepared-statements.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { json } from '../platform/db/sql.ts';
import { bands, signature, similarity } from './minhash.ts';
import {
  compareSignatures,
  isParaphrase,
  type ParaphraseSignature,
  paraphraseBands,
  paraphraseSignature,
} from './paraphrase.ts';
import type { ScreeningFacts } from './signals.ts';

/** The closest retelling of this claim's story by another claimant, if one passes the rule. */
export interface ParaphraseMatch {
  claimId: string;
  similarity: number;
  sharedLemmas: number;
}

/** Candidates each index hands over to be measured in memory. */
const CANDIDATES = 50;

/**
 * Claims read per band, the newest first. Common words put many claims in the same lemma band:
 * over the 948 real CPSC narratives the bench files, a lookup matched 6.6 % of all claims' band
 * rows, so its work grew with the table (at 100,000 claims, 12–542 ms a lookup;
 * docs/performance.md, sixth session). Reading at most this many per band bounds a lookup at
 * 16 × 200 index entries whatever the size. The largest lemma band of those 948 narratives holds
 * 101 claims, so at that size nothing changes; past it, a retelling is looked for among the newest
 * 200 claims sharing each of its bands, and an older original is still found through a rarer band.
 */
export const CLAIMS_PER_BAND = 200;

/**
 * Indexes the claim's narrative twice, by its word MinHash (copy-paste) and by its lemma
 * signature (a paraphrase), and finds the closest earlier narrative of another claimant in each:
 * one statement. Its data-modifying parts write the claim's bands and signature (upserts, so a
 * claim screened again replaces them); its lookups read, per band, the newest CLAIMS_PER_BAND
 * claims sharing it (indexes `claim_narrative_bands_recent`, `claim_paraphrase_bands_recent`),
 * and hand over the 50 candidates sharing the most bands, which are measured here. The lookups
 * cannot see this statement's own writes, and need not: they skip the claimant's own narratives.
 *
 * The candidates are grouped by claim id, and the best twice CANDIDATES kept, before their
 * signatures are read: `select distinct` over hundreds of 1 kB signatures sorted them by their
 * JSON, 25 ms of PostgreSQL time per filing (docs/performance.md), and joining every group read
 * each one's signature. Taking those sharing the most bands, rather than the first 50 a sort gave,
 * also hands over the likeliest retellings. The claimant's own are dropped after the join: a claimant
 * with more than fifty of their own among the best hundred leaves fewer than fifty to measure.
 */
export async function indexAndFindRetellings(
  db: Queryable,
  claim: ClaimRow,
  { claimsPerBand = CLAIMS_PER_BAND }: { claimsPerBand?: number } = {},
): Promise<Pick<ScreeningFacts, 'closestNarrative' | 'closestParaphrase'>> {
  // Written with the claim at filing (file-claim.ts); computed here only for a claim filed before that.
  const narrative = claim.narrative_signature ?? signature(claim.description);
  const narrativeBands = bands(narrative);
  const paraphrase = paraphraseSignature(claim.description);
  const lemmaBands = paraphraseBands(paraphrase);
  const rowsOf = (hashes: string[]) =>
    sql.join(hashes.map((hash, band) => sql`(${claim.id}, ${band}, ${hash})`));
  // The claims sharing the most of these bands, at most `claimsPerBand` read per band (newest
  // first; the claimant's own among them), best first.
  const sharing = (table: RawBuilder<unknown>, hashes: string[]) => sql`
    select b.claim_id, count(*) as shared
    from (values ${sql.join(hashes.map((hash, band) => sql`(${band}::int, ${hash})`))}) as q(band, hash)
    cross join lateral (
      select claim_id from ${table} where band = q.band and hash = q.hash
      order by claim_id desc limit ${claimsPerBand}) b
    group by b.claim_id
    order by shared desc, b.claim_id
    limit ${CANDIDATES * 2}`;
  const paraphraseParts: RawBuilder<unknown>[] = lemmaBands.length
    ? [
        sql`paraphrase_bands as (
          insert into claim_paraphrase_bands (claim_id, band, hash) values ${rowsOf(lemmaBands)}
          on conflict (claim_id, band) do update set hash = excluded.hash)`,
        sql`paraphrases as (
          select s.claim_id, s.signature from (${sharing(sql`claim_paraphrase_bands`, lemmaBands)}) m
          join claim_paraphrase_signatures s on s.claim_id = m.claim_id
          where s.customer_id <> ${claim.customer_id}
          order by m.shared desc, s.claim_id
          limit ${CANDIDATES})`,
      ]
    : [sql`paraphrases as (select null::text as claim_id, null::jsonb as signature where false)`];
  // Prepared on PostgreSQL (prepared-statements.ts): two texts, with and without lemma bands.
  const { rows } = await executePrepared(
    db,
    sql<{ index: 'narrative' | 'paraphrase'; claim_id: string; signature: unknown }>`
    with narrative_bands as (
      insert into claim_narrative_bands (claim_id, band, hash) values ${rowsOf(narrativeBands)}
      on conflict (claim_id, band) do update set hash = excluded.hash),
    stale_paraphrase_bands as (
      delete from claim_paraphrase_bands where claim_id = ${claim.id} and band >= ${lemmaBands.length}),
    paraphrase_signature as (
      insert into claim_paraphrase_signatures (claim_id, customer_id, signature)
      values (${claim.id}, ${claim.customer_id}, ${json(paraphrase)})
      on conflict (claim_id) do update set signature = excluded.signature),
    ${sql.join(paraphraseParts)},
    narratives as (
      select claims.id, claims.narrative_signature from (${sharing(sql`claim_narrative_bands`, narrativeBands)}) m
      join claims on claims.id = m.claim_id
      where claims.customer_id <> ${claim.customer_id}
      order by m.shared desc, claims.id
      limit ${CANDIDATES})
    select 'narrative' as index, id as claim_id, narrative_signature as signature from narratives
    union all
    select 'paraphrase', claim_id, signature from paraphrases`,
  );

  let closestNarrative: ScreeningFacts['closestNarrative'] = null;
  let closestParaphrase: ParaphraseMatch | null = null;
  for (const candidate of rows) {
    if (!candidate.signature) continue;
    if (candidate.index === 'narrative') {
      const s = similarity(narrative, candidate.signature as number[]);
      if (!closestNarrative || s > closestNarrative.similarity)
        closestNarrative = { claimId: candidate.claim_id, similarity: s };
    } else {
      const match = compareSignatures(paraphrase, candidate.signature as ParaphraseSignature);
      if (isParaphrase(match) && (!closestParaphrase || match.similarity > closestParaphrase.similarity))
        closestParaphrase = { claimId: candidate.claim_id, ...match };
    }
  }
  return { closestNarrative, closestParaphrase };
}
