import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DEMO_KEYS } from '../src/demo/seed-demo.ts';
import { freePort } from '../test/support/processes.ts';
import { SERVER_URL, serverAvailable, serverEnvironment } from './support.ts';

/**
 * `npm run bench -- startup`: what a server costs to start and to keep, per engine and per way of
 * starting it — through tsx (transpiling TypeScript on every start, as `npm start` does) or from
 * the compiled JavaScript (`npm run build`, then `node dist/cli/main.js serve`).
 *
 * For each: time from spawn to the first 200 from /healthz, RSS once idle (5 s after the first
 * answer), and RSS after a load of authenticated reads (the claims list, as agents poll it).
 * RSS is read from /proc for the server process (PGlite lives inside it). The demo's data is
 * seeded beforehand, so start-up is measured without seeding.
 */

const agentKey = DEMO_KEYS.find((k) => k.role === 'agent')?.secret ?? '';

const rssMb = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
};

async function firstAnswer(base: string, started: number, limitMs = 180_000): Promise<number> {
  while (performance.now() - started < limitMs) {
    const ok = await fetch(`${base}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no answer from ${base} in ${limitMs} ms`);
}

interface StartFigures {
  engine: string;
  start: string;
  firstAnswerMs: number;
  idleRssMb: number;
  loadedRssMb: number;
}

async function measure(
  engine: 'pglite' | 'postgres',
  start: 'tsx' | 'compiled',
  env: Record<string, string>,
): Promise<StartFigures> {
  const port = await freePort();
  const entry = start === 'tsx' ? 'bin/redress.mjs' : 'dist/cli/main.js';
  const started = performance.now();
  const child: ChildProcess = spawn('node', [entry, 'serve', '--demo'], {
    env: serverEnvironment({ ...env, PORT: String(port), LOG_LEVEL: 'warn' }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    const firstAnswerMs = await firstAnswer(base, started);
    await new Promise((r) => setTimeout(r, 5000));
    const pid = child.pid ?? 0;
    const idleRssMb = rssMb(pid);
    for (let round = 0; round < 25; round++) {
      await Promise.all(
        Array.from({ length: 8 }, () =>
          fetch(`${base}/v1/claims?limit=50`, { headers: { authorization: `Bearer ${agentKey}` } }).then(
            (r) => r.arrayBuffer(),
          ),
        ),
      );
    }
    const loadedRssMb = rssMb(pid);
    return { engine, start, firstAnswerMs: Math.round(firstAnswerMs), idleRssMb, loadedRssMb };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

export async function startup(): Promise<void> {
  // Always compiled afresh: a dist/ older than the sources would run older migrations.
  process.stderr.write('compiling the server (tsc -p tsconfig.build.json)…\n');
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  cpSync('src/simulation/fixtures', 'dist/simulation/fixtures', { recursive: true });
  const figures: StartFigures[] = [];
  const keys = {
    REDRESS_IDENTITY_KEY: randomBytes(32).toString('base64'),
    REDRESS_MASTER_KEY: randomBytes(32).toString('base64'),
  };

  // PGlite: one data folder seeded once (the demo's quarter), then started both ways.
  const folder = mkdtempSync(join(tmpdir(), 'redress-bench-startup-'));
  const pgliteEnv = { ...keys, REDRESS_DATA_DIR: folder };
  execFileSync('node', ['bin/redress.mjs', 'seed', '--demo'], {
    env: serverEnvironment(pgliteEnv),
    stdio: 'ignore',
  });
  for (const start of ['tsx', 'compiled'] as const) figures.push(await measure('pglite', start, pgliteEnv));
  rmSync(folder, { recursive: true, force: true });

  if (await serverAvailable()) {
    const url = SERVER_URL;
    const name = `redress_bench_startup_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const pgFolder = mkdtempSync(join(tmpdir(), 'redress-bench-startup-pg-'));
    const pgEnv = { ...keys, REDRESS_DATA_DIR: pgFolder, DATABASE_URL: target.toString() };
    try {
      execFileSync('node', ['bin/redress.mjs', 'seed', '--demo'], {
        env: serverEnvironment(pgEnv),
        stdio: 'ignore',
      });
      for (const start of ['tsx', 'compiled'] as const) figures.push(await measure('postgres', start, pgEnv));
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      rmSync(pgFolder, { recursive: true, force: true });
    }
  }

  process.stdout.write(`${JSON.stringify({ bench: 'startup', figures })}\n`);
  process.stdout.write('\nengine    start     first answer  idle RSS  RSS after 200 reads\n');
  for (const f of figures) {
    process.stdout.write(
      `${f.engine.padEnd(9)} ${f.start.padEnd(9)} ${`${f.firstAnswerMs} ms`.padStart(12)}  ${`${f.idleRssMb} MB`.padStart(8)}  ${`${f.loadedRssMb} MB`.padStart(8)}\n`,
    );
  }
}
