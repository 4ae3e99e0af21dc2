import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table customers add column account_created_at timestamptz;
    alter table customers add column birth_year int;
    alter table customers add column region text;

    -- Identity facts are kept only as salted hashes: screening needs equality, never the value.
    create table customer_identities (
      customer_id text not null references customers(id),
      kind text not null check (kind in ('address','phone','payment_fingerprint','device_id','email')),
      value_hash text not null,
      primary key (customer_id, kind, value_hash)
    );
    create index customer_identities_value on customer_identities (kind, value_hash);

    -- Seller contacts, hashed the same way, to find customers linked to a competing seller.
    create table seller_identities (
      seller_id text not null references sellers(id),
      kind text not null,
      value_hash text not null,
      primary key (seller_id, kind, value_hash)
    );
    create index seller_identities_value on seller_identities (kind, value_hash);

    -- MinHash bands of each claim's description (locality-sensitive hashing): two claims that
    -- share a band are candidates for near-duplicate narratives.
    create table claim_narrative_bands (
      claim_id text not null references claims(id),
      band int not null,
      hash text not null,
      primary key (claim_id, band)
    );
    create index claim_narrative_bands_hash on claim_narrative_bands (band, hash);
    alter table claims add column narrative_signature jsonb;

    -- Perceptual hash of photos (64-bit dHash) split in four 16-bit chunks: two hashes within
    -- Hamming distance 3 share at least one chunk, so an index finds re-encoded copies.
    alter table evidence add column phash text;
    create table evidence_phash_chunks (
      evidence_id text not null references evidence(id),
      claim_id text not null,
      chunk int not null,
      value int not null,
      primary key (evidence_id, chunk)
    );
    create index evidence_phash_chunks_value on evidence_phash_chunks (chunk, value);

    create index claims_customer_filed on claims (customer_id, filed_at);
    create index claims_product_filed on claims (product_id, filed_at);
    create index orders_customer_count on orders (customer_id, created_at);

    create table experts (
      id text primary key,
      marketplace_id text not null references marketplaces(id),
      organisation text not null,
      name text not null,
      active boolean not null default true,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );

    create table referrals (
      id text primary key,
      claim_id text not null references claims(id),
      expert_id text not null references experts(id),
      status text not null check (status in ('open','answered','withdrawn')),
      reason text not null,
      due_at timestamptz not null,
      verdict text,
      notes text,
      confidence numeric,
      answered_at timestamptz,
      created_at timestamptz not null,
      created_by text not null
    );
    create index referrals_expert on referrals (expert_id, status, id);
    create index referrals_claim on referrals (claim_id);
    create unique index referrals_one_open on referrals (claim_id) where status = 'open';

    -- Ground truth for re-fitting the weights: what a person found.
    create table screening_labels (
      claim_id text primary key references claims(id),
      fraudulent boolean not null,
      source text not null,
      signals jsonb not null,
      labelled_at timestamptz not null
    );
  `.execute(db);
}
