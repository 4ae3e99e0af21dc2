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
 * Indexes the claim's narrative twice, by its word MinHash (copy-paste) and by its lemma
 * signature (a paraphrase), and finds the closest earlier narrative of another claimant in each:
 * one statement. Its data-modifying parts write the claim's bands and signature (upserts, so a
 * claim screened again replaces them); its lookups read each index's bands (indexes
 * `claim_narrative_bands_hash`, `claim_paraphrase_bands_hash`) and hand over the 50 candidates
 * sharing the most bands, which are measured here. The lookups cannot see this statement's own
 * writes, and need not: they skip the claimant's own narratives.
 *
 * The candidates are grouped by claim id before their signatures are read: common words put a
 * sixth of all claims in some lemma band, and `select distinct` over hundreds of 1 kB signatures
 * sorted them by their JSON, 25 ms of PostgreSQL time per filing (docs/performance.md). Taking
 * those sharing the most bands, rather than the first 50 the sort gave, also hands over the
 * likeliest retellings.
 */
export async function indexAndFindRetellings(
  db: Queryable,
  claim: ClaimRow,
): Promise<Pick<ScreeningFacts, 'closestNarrative' | 'closestParaphrase'>> {
  // Written with the claim at filing (file-claim.ts); computed here only for a claim filed before that.
  const narrative = claim.narrative_signature ?? signature(claim.description);
  const narrativeBands = bands(narrative);
  const paraphrase = paraphraseSignature(claim.description);
  const lemmaBands = paraphraseBands(paraphrase);
  const rowsOf = (hashes: string[]) =>
    sql.join(hashes.map((hash, band) => sql`(${claim.id}, ${band}, ${hash})`));
  const sharing = (hashes: string[]) =>
    sql.join(
      hashes.map((hash, band) => sql`(b.band = ${band} and b.hash = ${hash})`),
      sql` or `,
    );
  const paraphraseParts: RawBuilder<unknown>[] = lemmaBands.length
    ? [
        sql`paraphrase_bands as (
          insert into claim_paraphrase_bands (claim_id, band, hash) values ${rowsOf(lemmaBands)}
          on conflict (claim_id, band) do update set hash = excluded.hash)`,
        sql`paraphrases as (
          select s.claim_id, s.signature from (
            select b.claim_id, count(*) as shared from claim_paraphrase_bands b
            where ${sharing(lemmaBands)} group by b.claim_id) m
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
      select claims.id, claims.narrative_signature from (
        select b.claim_id, count(*) as shared from claim_narrative_bands b
        where ${sharing(narrativeBands)} group by b.claim_id) m
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
