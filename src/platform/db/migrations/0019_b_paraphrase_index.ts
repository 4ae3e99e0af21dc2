import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A second narrative fingerprint that survives paraphrase (src/screening/paraphrase.ts):
    -- MinHash signatures over the description's content lemmas and their character 4-grams,
    -- with the lemma count, and the claimant, so a lookup excludes the claimant's own claims
    -- without a join. Hashes only: the description itself stays sealed in claims.
    create table claim_paraphrase_signatures (
      claim_id text primary key references claims(id),
      customer_id text not null,
      signature jsonb not null
    );
    -- Bands of two rows over the lemma signature: a pair that shares one is a candidate.
    create table claim_paraphrase_bands (
      claim_id text not null references claims(id),
      band int not null,
      hash text not null,
      primary key (claim_id, band)
    );
    create index claim_paraphrase_bands_hash on claim_paraphrase_bands (band, hash);

    -- The screen's own report (GET /v1/screening/performance) counts holds, releases and
    -- cancellations by week without reading every claim event.
    create index claim_events_payout_holds on claim_events (at)
      where type in ('claim.payout_held', 'claim.payout_released', 'claim.payout_cancelled');
    create index screening_labels_at on screening_labels (labelled_at);
  `.execute(db);
}
