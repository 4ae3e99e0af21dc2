/**
 * Where evidence files live. Content-addressed by SHA-256, so storing the same file twice
 * keeps one copy. The built-in store is a local folder; an S3-compatible store implements
 * the same methods.
 */
export interface BlobStore {
  put(sha256: string, bytes: Buffer): Promise<void>;
  get(sha256: string): Promise<Buffer | null>;
  has(sha256: string): Promise<boolean>;
  /** Removes the file (an erasure); true when there was one. */
  delete(sha256: string): Promise<boolean>;
}
