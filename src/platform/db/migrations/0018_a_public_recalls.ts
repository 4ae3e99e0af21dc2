import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- What identifies a product in a public recall notice. All optional: a marketplace that
    -- sends none gets no exact matches, only none by brand and title either (brand is needed).
    alter table products
      add column brand text,
      add column upc text,
      add column model_number text;

    -- Public recall notices (the CPSC's and others'), imported as published. Not the
    -- marketplace's own recalls (table recalls, buyer notices in recall_notices). The *_keys
    -- columns hold the normalised brands, UPCs and model numbers the matcher compares, so a
    -- product finds its recalls through the GIN index.
    create table public_recalls (
      id text primary key,
      recall_number text not null unique,
      recall_date text, -- YYYY-MM-DD as published
      title text not null,
      description text not null default '',
      hazards jsonb not null default '[]',
      remedy text not null default '',
      manufacturers jsonb not null default '[]',
      brands jsonb not null default '[]',
      product_names jsonb not null default '[]',
      model_numbers jsonb not null default '[]',
      upcs jsonb not null default '[]',
      sold_at jsonb not null default '[]',
      url text,
      brand_keys jsonb not null default '[]',
      model_keys jsonb not null default '[]',
      upc_keys jsonb not null default '[]',
      imported_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index public_recalls_brand_keys on public_recalls using gin (brand_keys);
    create index public_recalls_model_keys on public_recalls using gin (model_keys);
    create index public_recalls_upc_keys on public_recalls using gin (upc_keys);

    -- A product the matcher holds to be in a public recall, waiting for a safety officer.
    create table public_recall_matches (
      id text primary key,
      public_recall_id text not null references public_recalls(id),
      product_id text not null references products(id),
      marketplace_id text not null,
      method text not null check (method in ('upc', 'model_number', 'brand_title')),
      score real not null,
      matched_terms jsonb not null,
      status text not null check (status in ('pending', 'confirmed', 'rejected')),
      decided_by text,
      decided_at timestamptz,
      note text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (public_recall_id, product_id)
    );
    create index public_recall_matches_queue on public_recall_matches (status, created_at);
    create index public_recall_matches_product on public_recall_matches (product_id);

    alter table claims add column public_recall_id text references public_recalls(id);
  `.execute(db);
}
