import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A mail is leased while a worker sends it outside any transaction (notifications/send-mail.ts):
    -- no other worker takes it until the lease ends, and a worker that dies mid-send leaves it
    -- to be sent again when it does (at least once, under the same Message-ID).
    alter table mail_deliveries add column lease_until timestamptz;
  `.execute(db);
}
