import type { Queryable } from '../db/sql.ts';
/**
 * Where evidence files, cleaned copies and insurance certificates live. Content-addressed by
 * SHA-256, so storing the same file twice keeps one copy, and a file never changes once stored.
 *
 * Built in: `LocalBlobStore` (a folder; the default with PGlite) and `PostgresBlobStore` (chunks
 * in the database; the default with `DATABASE_URL`). docs/blob-storage.md says how an
 * S3-compatible store implements the same five methods.
 */
export interface BlobStore {
  /**
   * Stores the bytes under their hash; storing a hash already present does nothing. A store in
   * the database writes through `tx` when given one: the caller's transaction already holds a
   * pooled connection, and asking the pool for a second one per upload deadlocks once as many
   * uploads run as the pool has connections (and a rolled-back upload leaves no blob behind).
   */
  put(sha256: string, bytes: Buffer, tx?: Queryable): Promise<void>;
  /** The whole file, or null when there is none. */
  get(sha256: string): Promise<Buffer | null>;
  /** The file piece by piece, in order, without holding it whole; null when there is none. */
  open(sha256: string): Promise<StoredBlob | null>;
  has(sha256: string): Promise<boolean>;
  /** Removes the file (an erasure); true when there was one. */
  delete(sha256: string): Promise<boolean>;
}

export interface StoredBlob {
  sizeBytes: number;
  chunks: AsyncIterable<Buffer>;
}
