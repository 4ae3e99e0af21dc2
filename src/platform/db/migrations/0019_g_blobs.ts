import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Evidence files, insurance certificates and other uploads, in the database itself when it is
    -- a PostgreSQL server (PostgresBlobStore): every server process sees every file, and one
    -- pg_dump holds them. Content-addressed by SHA-256; the bytes are split into chunks so no
    -- statement or row carries a whole large file, and a reader streams them in order.
    create table blobs (
      sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
      size_bytes bigint not null check (size_bytes >= 0),
      chunk_count integer not null check (chunk_count >= 0),
      created_at timestamptz not null default now()
    );
    create table blob_chunks (
      sha256 text not null references blobs (sha256) on delete cascade,
      seq integer not null check (seq >= 0),
      data bytea not null,
      primary key (sha256, seq)
    );
    -- Chunks are already compressed images and PDFs: TOAST compression would only cost CPU.
    alter table blob_chunks alter column data set storage external;
  `.execute(db);
}
