import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_KEYS } from '../src/demo/seed-demo.ts';
import { PostgresBlobStore } from '../src/platform/blobs/postgres-blob-store.ts';
import { type DatabaseHandle, openPostgres } from '../src/platform/db/connect.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { phonePhoto } from './support/evidence-files.ts';
import { exited, freePort } from './support/processes.ts';
import { multipart } from './support/uploads.ts';

const run = promisify(execFile);
const serverUrl = process.env.DATABASE_URL;
const databaseName = `redress_shared_${process.pid}_${randomBytes(4).toString('hex')}`;
const folders = [0, 1].map((i) => mkdtempSync(join(tmpdir(), `redress-shared-${i}-`)));
const ADMIN = 'bootstrap-admin-key-for-the-shared-evidence-test';
const customerKey = DEMO_KEYS.find((k) => k.role === 'customer')?.secret ?? '';
const agentKey = DEMO_KEYS.find((k) => k.role === 'agent')?.secret ?? '';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const urlOf = (name: string) => {
  const url = new URL(serverUrl as string);
  url.pathname = `/${name}`;
  return url.toString();
};

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(statement);
  await client.end();
}

async function until<T>(what: () => Promise<T | null>, seconds: number): Promise<T> {
  for (let i = 0; i < seconds * 10; i++) {
    const value = await what().catch(() => null);
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('timed out waiting');
}

// Files in the database need a database server; PGlite keeps them in its one data folder.
describe.skipIf(!serverUrl)('evidence shared by every server (PostgresBlobStore)', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    await admin(`create database ${databaseName}`);
    handle = openPostgres(urlOf(databaseName), { max: 4 });
    await migrateToLatest(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
    await admin(`drop database if exists ${databaseName} with (force)`);
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('stores a file in chunks, reads it back whole and streamed, keeps one copy, and erases it', async () => {
    const store = new PostgresBlobStore(handle.db, { chunkBytes: 1000 });
    const bytes = randomBytes(4_500);
    const hash = sha256(bytes);
    // Two uploads of the same bytes at once: one header, five chunks, no error.
    await Promise.all([store.put(hash, bytes), store.put(hash, bytes)]);
    const chunks = await handle.db
      .selectFrom('blob_chunks')
      .select('seq')
      .where('sha256', '=', hash)
      .execute();
    expect(chunks.map((c) => c.seq).sort()).toEqual([0, 1, 2, 3, 4]);
    expect((await store.get(hash))?.equals(bytes)).toBe(true);
    const opened = await store.open(hash);
    const pieces: Buffer[] = [];
    for await (const piece of opened?.chunks ?? []) pieces.push(piece);
    expect([opened?.sizeBytes, pieces.map((p) => p.length)]).toEqual([4_500, [1000, 1000, 1000, 1000, 500]]);
    expect(await store.delete(hash)).toBe(true);
    expect([await store.has(hash), await store.get(hash), await store.delete(hash)]).toEqual([
      false,
      null,
      false,
    ]);
    expect(
      await handle.db.selectFrom('blob_chunks').select('seq').where('sha256', '=', hash).execute(),
    ).toEqual([]);
  });

  it('two server processes on two data folders each serve the evidence uploaded to the other', async () => {
    const env = {
      ...process.env,
      DATABASE_URL: urlOf(databaseName),
      LOG_LEVEL: 'silent',
      REDRESS_BOOTSTRAP_ADMIN_KEY: ADMIN,
      REDRESS_WORKER_INTERVAL_MS: '200',
      // Both servers share their identity and master keys, as a production fleet must.
      REDRESS_IDENTITY_KEY: 'identity-key-shared-by-both-servers-0000000',
      REDRESS_MASTER_KEY: randomBytes(32).toString('base64'),
    } as Record<string, string>;
    await run('node', ['bin/redress.mjs', 'seed', '--demo', '--claims-per-day', '0'], {
      env: { ...env, REDRESS_DATA_DIR: folders[0] as string },
    });
    const servers: { child: ChildProcess; base: string }[] = [];
    try {
      for (const folder of folders) {
        const port = await freePort();
        const child = spawn('node', ['bin/redress.mjs', 'serve'], {
          env: { ...env, PORT: String(port), REDRESS_DATA_DIR: folder },
          stdio: 'ignore',
        });
        servers.push({ child, base: `http://127.0.0.1:${port}` });
      }
      for (const { base } of servers)
        await until(async () => ((await fetch(`${base}/readyz`)).ok ? true : null), 60);
      const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];

      const incidentAt = new Date(Date.now() - 86_400_000).toISOString();
      const filed = await fetch(`${a.base}/v1/claims`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${customerKey}`,
          'content-type': 'application/json',
          'idempotency-key': 'shared-evidence-claim-1',
        },
        body: JSON.stringify({
          orderId: 'ord-1001',
          lineId: '2',
          type: 'property_damage',
          incidentAt,
          description: 'The charger melted and burned the desk top.',
          amount: { value: 15_000, currency: 'USD' },
          damages: [
            { kind: 'property_damage', description: 'Desk', amount: { value: 15_000, currency: 'USD' } },
          ],
        }),
      });
      expect(filed.status).toBe(201);
      const claimId = ((await filed.json()) as { id: string }).id;

      const upload = async (base: string, bytes: Buffer) => {
        const form = multipart('desk.jpg', bytes, 'image/jpeg');
        const response = await fetch(`${base}/v1/claims/${claimId}/evidence?purpose=photo`, {
          method: 'POST',
          headers: { authorization: `Bearer ${customerKey}`, ...form.headers },
          body: form.payload,
        });
        const body = await response.clone().text();
        expect(response.status, body).toBe(201);
        return (await response.json()) as { id: string };
      };
      const download = async (base: string, evidenceId: string, key: string) => {
        const response = await fetch(`${base}/v1/claims/${claimId}/evidence/${evidenceId}/content`, {
          headers: { authorization: `Bearer ${key}` },
        });
        return {
          status: response.status,
          length: response.headers.get('content-length'),
          bytes: Buffer.from(await response.arrayBuffer()),
        };
      };

      const onA = await upload(a.base, await phonePhoto('Dana Reyes'));
      const onB = await upload(b.base, await phonePhoto('Someone Else'));
      const aFromA = await download(a.base, onA.id, customerKey);
      const aFromB = await download(b.base, onA.id, customerKey);
      const bFromA = await download(a.base, onB.id, agentKey);
      const bFromB = await download(b.base, onB.id, agentKey);
      expect([aFromA.status, aFromB.status, bFromA.status, bFromB.status]).toEqual([200, 200, 200, 200]);
      expect(aFromB.bytes.equals(aFromA.bytes)).toBe(true);
      expect(bFromA.bytes.equals(bFromB.bytes)).toBe(true);
      expect(aFromB.length).toBe(String(aFromA.bytes.length));
      // Nothing was written to either data folder: the files are rows, in every backup of the database.
      for (const folder of folders) expect(existsSync(join(folder, 'blobs'))).toBe(false);
      const stored = await handle.db.selectFrom('blobs').select('sha256').execute();
      expect(stored.map((s) => s.sha256)).toEqual(
        expect.arrayContaining([sha256(aFromA.bytes), sha256(bFromB.bytes)]),
      );
    } finally {
      for (const { child } of servers) {
        const gone = exited(child);
        child.kill('SIGTERM');
        await gone;
      }
    }
  }, 120_000);
});
