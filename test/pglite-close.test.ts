import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openTestDatabase } from './harness.ts';

// PGlite only: its statements give the event loop turns (src/platform/db/pglite-dialect.ts), so a
// close can arrive in the middle of a transaction; a server's pool has no such line.
describe.skipIf(Boolean(process.env.DATABASE_URL))('closing PGlite', () => {
  it('waits for the transaction in flight instead of cutting it off', async () => {
    const handle = await openTestDatabase();
    let closing: Promise<void> | undefined;
    const committed = handle.db.transaction().execute(async (tx) => {
      await sql`create table notes (n int)`.execute(tx);
      // The close is asked for during the transaction: a timer runs at the first turn it gives.
      setTimeout(() => {
        closing = handle.close();
      }, 0);
      const started = performance.now();
      let written = 0;
      while (!closing && performance.now() - started < 2_000) {
        await sql`insert into notes values (${written})`.execute(tx);
        written++;
      }
      // Still this transaction's to finish, closing or not.
      for (let more = 0; more < 20; more++) await sql`insert into notes values (${written++})`.execute(tx);
      return written;
    });
    await expect(committed).resolves.toBeGreaterThan(20);
    expect(closing).toBeDefined();
    await closing;
  });
});
