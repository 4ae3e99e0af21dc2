import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The narrative lookups read, per band, only the newest claims sharing it
    -- (screening/narrative-index-store.ts): an index on (band, hash, claim_id) hands them over in
    -- claim-id order (ids are ULIDs, so newest last), stopping at the limit, where (band, hash)
    -- had to read the whole bucket. It serves every lookup the old index did (a prefix), so the
    -- old one goes. On a large install this builds for a while with writes to the table held:
    -- create the index CONCURRENTLY beforehand under the same name and this skips it
    -- (docs/operations.md, section 6).
    create index if not exists claim_narrative_bands_recent on claim_narrative_bands (band, hash, claim_id);
    drop index if exists claim_narrative_bands_hash;
    create index if not exists claim_paraphrase_bands_recent on claim_paraphrase_bands (band, hash, claim_id);
    drop index if exists claim_paraphrase_bands_hash;
  `.execute(db);
}
