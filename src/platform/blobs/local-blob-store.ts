import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Queryable } from '../db/sql.ts';
import type { BlobStore, StoredBlob } from './blob-store.ts';

export class LocalBlobStore implements BlobStore {
  readonly #root: string;

  constructor(root: string) {
    this.#root = root;
  }

  #path(sha256: string): string {
    return join(this.#root, sha256.slice(0, 2), sha256);
  }

  async put(sha256: string, bytes: Buffer, _tx?: Queryable): Promise<void> {
    if (await this.has(sha256)) return;
    const path = this.#path(sha256);
    await mkdir(join(this.#root, sha256.slice(0, 2)), { recursive: true });
    // Write then rename, so a crash never leaves a half-written file under the final name. Each
    // write has its own partial file: two claimants sending the same photo at once must not
    // rename one file twice (the second rename failed with ENOENT, a 500).
    const partial = `${path}.${process.pid}.${randomUUID()}.partial`;
    await writeFile(partial, bytes);
    await rename(partial, path);
  }

  async get(sha256: string): Promise<Buffer | null> {
    try {
      return await readFile(this.#path(sha256));
    } catch {
      return null;
    }
  }

  async open(sha256: string): Promise<StoredBlob | null> {
    try {
      const { size } = await stat(this.#path(sha256));
      return { sizeBytes: size, chunks: createReadStream(this.#path(sha256)) };
    } catch {
      return null;
    }
  }

  async delete(sha256: string): Promise<boolean> {
    const existed = await this.has(sha256);
    await rm(this.#path(sha256), { force: true });
    return existed;
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await stat(this.#path(sha256));
      return true;
    } catch {
      return false;
    }
  }
}
