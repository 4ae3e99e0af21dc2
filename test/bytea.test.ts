import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTO_PREPARE_AFTER } from '../src/platform/db/prepared-statements.ts';
import { openTestDatabase } from './harness.ts';

// On the engine the suite runs on: PGlite is made to hand bytea over as pg does (src/platform/db/connect.ts).
describe('bytea', () => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    handle = await openTestDatabase();
    await sql`create table stored (id int primary key, bytes bytea)`.execute(handle.db);
  });
  afterAll(async () => {
    await handle.close();
    await handle.drop?.();
  });

  // Every byte value, and a value the size of an import's chunks many times over.
  const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const large = Buffer.alloc(1 << 18, everyByte);

  it('stores and returns the exact bytes as a Buffer, as pg does, whether a statement is one-off or named', async () => {
    const db = handle.db;
    // A Uint8Array that is a view into a larger buffer: only its own bytes are stored.
    const view = new Uint8Array(everyByte.buffer, everyByte.byteOffset + 10, 20);
    await sql`insert into stored (id, bytes) values (${1}, ${large}), (${2}, ${view}), (${3}, ${null})`.execute(
      db,
    );
    const read = (id: number) => sql<{ bytes: Buffer | null }>`select bytes from stored where id = ${id}`;
    // Run often enough for the text to become a named statement (prepared-statements.ts).
    for (let run = 0; run < AUTO_PREPARE_AFTER + 2; run++) {
      const [first] = (await read(1).execute(db)).rows;
      expect(Buffer.isBuffer(first?.bytes)).toBe(true);
      expect(first?.bytes?.equals(large)).toBe(true);
      expect((await read(2).execute(db)).rows[0]?.bytes).toEqual(Buffer.from(view));
      expect((await read(3).execute(db)).rows[0]?.bytes).toBeNull();
      const written = await sql`update stored set bytes = ${everyByte} where id = ${2}`.execute(db);
      expect(written.numAffectedRows).toBe(1n);
      expect((await read(2).execute(db)).rows[0]?.bytes?.equals(everyByte)).toBe(true);
      await sql`update stored set bytes = ${view} where id = ${2}`.execute(db);
    }
    // Text is taken as PostgreSQL's own input for bytea, as pg sends it.
    await sql`update stored set bytes = ${'\\x414243'} where id = ${3}`.execute(db);
    expect((await read(3).execute(db)).rows[0]?.bytes).toEqual(Buffer.from('ABC'));
    if (handle.engine === 'pglite') {
      // Anything else is refused before a message is built (PGlite's own serializer refused it too).
      await expect(sql`update stored set bytes = ${42} where id = ${3}`.execute(db)).rejects.toThrow(
        'a bytea value must be bytes',
      );
    }
    // PostgreSQL holds the bytes themselves, not a text made of them.
    const { rows } = await sql<{ length: number; head: string }>`
      select length(bytes) as length, encode(substring(bytes from 1 for 4), 'hex') as head from stored where id = 1`.execute(
      db,
    );
    expect(rows).toEqual([{ length: 1 << 18, head: '00010203' }]);
  });
});
