import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- An import is a job: the upload is kept in line-aligned chunks beside it, and each chunk is
    -- applied in one transaction that also moves the job's counters. A crash loses at most the
    -- chunk in flight, and whichever worker takes the lease next resumes after the last one done.
    create table import_jobs (
      id text primary key,
      format text not null check (format in ('ndjson','csv')),
      -- A CSV feed's header line, which every chunk's rows are read against.
      csv_header text,
      status text not null check (status in ('receiving','queued','running','succeeded','failed')),
      created_by text not null,
      created_by_role text not null,
      created_at timestamptz not null,
      started_at timestamptz,
      finished_at timestamptz,
      bytes_total bigint not null default 0,
      chunks_total int not null default 0,
      chunks_done int not null default 0,
      bytes_done bigint not null default 0,
      lines int not null default 0,
      imported int not null default 0,
      failed int not null default 0,
      by_kind jsonb not null default '{}',
      attempts int not null default 0,
      lease_owner text,
      lease_until timestamptz,
      failure text
    );
    create index import_jobs_due on import_jobs (created_at) where status in ('queued','running');

    create table import_chunks (
      import_id text not null references import_jobs(id) on delete cascade,
      seq int not null,
      first_line int not null,
      bytes bytea not null,
      primary key (import_id, seq)
    );
    -- Feeds are stored once and read once: compressing them would cost more CPU than it saves.
    alter table import_chunks alter column bytes set storage external;

    create table import_errors (
      import_id text not null references import_jobs(id) on delete cascade,
      line int not null,
      field text not null,
      rule text not null
    );
    create index import_errors_line on import_errors (import_id, line);
  `.execute(db);
}
