/**
 * Where evidence files, cleaned copies and insurance certificates live. Content-addressed by
 * SHA-256, so storing the same file twice keeps one copy, and a file never changes once stored.
 *
 * Built in: `LocalBlobStore` (a folder; the default with PGlite) and `PostgresBlobStore` (chunks
 * in the database; the default with `DATABASE_URL`). docs/blob-storage.md says how an
 * S3-compatible store implements the same five methods.
 */
export interface BlobStore {
  /** Stores the bytes under their hash; storing a hash already present does nothing. */
  put(sha256: string, bytes: Buffer): Promise<void>;
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
