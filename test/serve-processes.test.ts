import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { exited, freePort } from './support/processes.ts';

const run = promisify(execFile);
const serverUrl = process.env.DATABASE_URL;
const databaseName = `redress_procs_${process.pid}_${randomBytes(4).toString('hex')}`;
const folder = mkdtempSync(join(tmpdir(), 'redress-procs-'));

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

/** pino's JSON lines of a process, as they arrive. */
function logLines(child: ChildProcess): { pid: number; msg: string }[] {
  const lines: { pid: number; msg: string }[] = [];
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      try {
        const entry = JSON.parse(line) as { pid: number; msg: string };
        lines.push(entry);
      } catch {
        // not a log line
      }
    }
  });
  return lines;
}

async function until<T>(what: () => T | null | undefined, seconds: number): Promise<T> {
  for (let i = 0; i < seconds * 10; i++) {
    const value = what();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('timed out waiting');
}

const LEADS = 'this process leads the background workers';

describe('serve --processes', () => {
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    if (serverUrl) await admin(`drop database if exists ${databaseName} with (force)`);
  });

  it.skipIf(Boolean(serverUrl))(
    'refuses more than one process on the embedded database, saying why',
    async () => {
      const refused = await run('node', ['bin/redress.mjs', 'serve', '--processes', '2'], {
        env: { ...process.env, REDRESS_DATA_DIR: folder, PORT: '0' },
      }).catch((error: { code: number; stderr: string }) => error);
      expect(refused).toMatchObject({ code: 2 });
      expect((refused as { stderr: string }).stderr).toContain('--processes above 1 needs DATABASE_URL');
    },
  );

  it.skipIf(!serverUrl)(
    'serves from two processes on one port, one leads the workers, and another takes over when it is killed',
    async () => {
      await admin(`create database ${databaseName}`);
      const port = await freePort();
      const primary = spawn('node', ['bin/redress.mjs', 'serve', '--processes', '2'], {
        env: {
          ...process.env,
          DATABASE_URL: urlOf(databaseName),
          REDRESS_DATA_DIR: folder,
          PORT: String(port),
          LOG_LEVEL: 'info',
          REDRESS_IDENTITY_KEY: 'identity-key-shared-by-every-process-00000',
          REDRESS_MASTER_KEY: randomBytes(32).toString('base64'),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const log = logLines(primary);
      try {
        const listening = await until(() => {
          const pids = new Set(log.filter((l) => l.msg.startsWith('Server listening')).map((l) => l.pid));
          return pids.size === 2 ? [...pids] : null;
        }, 120);
        expect(listening).not.toContain(primary.pid);
        const health = await fetch(`http://127.0.0.1:${port}/healthz`);
        expect(health.status).toBe(200);

        const leader = await until(() => log.find((l) => l.msg === LEADS)?.pid, 30);
        expect(listening).toContain(leader);
        // Still exactly one leader a few election rounds later.
        await new Promise((resolve) => setTimeout(resolve, 2500));
        expect(log.filter((l) => l.msg === LEADS)).toHaveLength(1);

        process.kill(leader, 'SIGKILL');
        const successor = await until(() => log.find((l) => l.msg === LEADS && l.pid !== leader)?.pid, 30);
        expect(successor).not.toBe(leader);
        // The primary replaces the killed process, which then serves without leading.
        await until(() => {
          const pids = new Set(log.filter((l) => l.msg.startsWith('Server listening')).map((l) => l.pid));
          return pids.size === 3 ? true : null;
        }, 120);
        expect(log.filter((l) => l.msg === LEADS)).toHaveLength(2);
        expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      } finally {
        const gone = exited(primary);
        primary.kill('SIGTERM');
        await gone;
      }
      expect(primary.exitCode).toBe(0);
    },
    300_000,
  );
});
