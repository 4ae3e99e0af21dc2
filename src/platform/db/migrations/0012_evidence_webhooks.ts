import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- sha256 stays the hash of the bytes as uploaded (the duplicate-file signal); the blob kept
    -- and served is the sanitised copy (photo metadata removed), stored under its own hash.
    alter table evidence add column content_sha256 text;
    update evidence set content_sha256 = sha256;
    alter table evidence alter column content_sha256 set not null;

    -- A rotated signing secret stays valid until previous_secret_expires_at: deliveries are
    -- signed with both, so receivers can switch without losing a message.
    alter table webhook_endpoints add column previous_secret text;
    alter table webhook_endpoints add column previous_secret_expires_at timestamptz;
    -- Deleted endpoints are kept (inactive) so their delivery log still explains what was sent.
    alter table webhook_endpoints add column deleted_at timestamptz;
  `.execute(db);
}
