import { sql } from 'kysely';
import type { Db, Queryable } from '../db/sql.ts';
import type { BlobStore, StoredBlob } from './blob-store.ts';

/**
 * 256 KiB: a phone photo is a few chunks, a 20 MB PDF eighty; each insert and each read is one
 * bounded row, so neither the server nor the driver ever holds a statement the size of a file.
 */
export const BLOB_CHUNK_BYTES = 256 * 1024;

/**
 * Blobs in the PostgreSQL database (`blobs` and `blob_chunks`): every server process on every
 * machine reads the same files, and one `pg_dump` backs them up with the rows that name them.
 *
 * A blob's header and chunks commit in one transaction of their own, before the command that
 * names the blob (as a file is written before its row on local disk), so a reader either finds
 * the whole file or none of it. Two uploads of the same bytes at once: the second insert of the
 * header waits on the first's primary key and then does nothing.
 */
export class PostgresBlobStore implements BlobStore {
  readonly #db: Db;
  readonly #chunkBytes: number;

  constructor(db: Db, options: { chunkBytes?: number } = {}) {
    this.#db = db;
    this.#chunkBytes = options.chunkBytes ?? BLOB_CHUNK_BYTES;
  }

  async put(sha256: string, bytes: Buffer, within?: Queryable): Promise<void> {
    const chunkCount = Math.ceil(bytes.length / this.#chunkBytes);
    const write = async (tx: Queryable) => {
      const inserted = await tx
        .insertInto('blobs')
        .values({ sha256, size_bytes: bytes.length, chunk_count: chunkCount })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .returning('sha256')
        .executeTakeFirst();
      if (!inserted) return;
      for (let seq = 0; seq < chunkCount; seq++) {
        const data = bytes.subarray(seq * this.#chunkBytes, (seq + 1) * this.#chunkBytes);
        await tx.insertInto('blob_chunks').values({ sha256, seq, data }).execute();
      }
    };
    // In the caller's transaction when there is one (see BlobStore.put); a second writer of the
    // same hash waits on the unique key and then does nothing.
    if (within?.isTransaction) return write(within);
    if (await this.has(sha256)) return;
    await this.#db.transaction().execute(write);
  }

  async get(sha256: string): Promise<Buffer | null> {
    const blob = await this.open(sha256);
    if (!blob) return null;
    const parts: Buffer[] = [];
    for await (const chunk of blob.chunks) parts.push(chunk);
    return Buffer.concat(parts);
  }

  async open(sha256: string): Promise<StoredBlob | null> {
    const header = await this.#db
      .selectFrom('blobs')
      .select(['size_bytes', 'chunk_count'])
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    if (!header) return null;
    const db = this.#db;
    const count = header.chunk_count;
    // One chunk per query, in order: the reader holds one chunk at a time however large the file.
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let seq = 0; seq < count; seq++) {
        const row = await db
          .selectFrom('blob_chunks')
          .select('data')
          .where('sha256', '=', sha256)
          .where('seq', '=', seq)
          .executeTakeFirst();
        // Erased between the header and this chunk: the reader gets a short file and an error.
        if (!row) throw new Error(`blob ${sha256} lost chunk ${seq} while being read`);
        yield row.data; // a Buffer on both engines (PGLITE_BYTEA in db/connect.ts), not copied
      }
    }
    return { sizeBytes: header.size_bytes, chunks: chunks() };
  }

  async has(sha256: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('blobs')
      .select('sha256')
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    return row !== undefined;
  }

  async delete(sha256: string): Promise<boolean> {
    // The chunks go with the header (on delete cascade).
    const result = await sql`delete from blobs where sha256 = ${sha256}`.execute(this.#db);
    return Number(result.numAffectedRows ?? 0) > 0;
  }
}
