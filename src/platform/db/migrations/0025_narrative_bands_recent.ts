import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The narrative lookups read, per band, only the newest claims sharing it
    -- (screening/narrative-index-store.ts): an index on (band, hash, claim_id) hands them over in
    -- claim-id order (ids are ULIDs, so newest last), stopping at the limit, where (band, hash)
    -- had to read the whole bucket. It serves every lookup the old index did (a prefix), the
    -- previous release's included, so the old one goes in this release. On a large install this
    -- builds for a while with writes to the table held: create the index CONCURRENTLY beforehand
    -- under the same name and this skips it (docs/operations.md, section 6). A concurrent build
    -- that failed leaves an invalid index under the name: it is dropped and built again here.
    do $$
    declare
      name text;
    begin
      foreach name in array array['claim_narrative_bands_recent', 'claim_paraphrase_bands_recent'] loop
        if exists (select 1 from pg_index i join pg_class c on c.oid = i.indexrelid
                   where c.relname = name and not i.indisvalid) then
          execute format('drop index %I', name);
        end if;
      end loop;
    end $$;
    create index if not exists claim_narrative_bands_recent on claim_narrative_bands (band, hash, claim_id);
    drop index if exists claim_narrative_bands_hash;
    create index if not exists claim_paraphrase_bands_recent on claim_paraphrase_bands (band, hash, claim_id);
    drop index if exists claim_paraphrase_bands_hash;
  `.execute(db);
}
