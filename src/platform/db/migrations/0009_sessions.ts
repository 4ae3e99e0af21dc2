import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A person's sign-in: a cookie whose SHA-256 is stored here, acting as the API key it was
    -- opened with, with its own CSRF token and an end.
    create table sessions (
      token_sha256 text primary key,
      api_key_id text not null references api_keys(id),
      csrf_token text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      revoked_at timestamptz
    );
    create index sessions_api_key on sessions (api_key_id);
  `.execute(db);
}
