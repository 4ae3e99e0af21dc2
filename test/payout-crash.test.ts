import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_KEYS } from '../src/demo/seed-demo.ts';
import { FakePayments } from './support/fake-payments.ts';
import { exited, freePort } from './support/processes.ts';

const run = promisify(execFile);
const agentKey = DEMO_KEYS.find((k) => k.role === 'agent')?.secret ?? '';

let env: Record<string, string>;
let cleanup: () => Promise<void>;
const payments = new FakePayments();

/** The same engine as the rest of the suite: a PGlite folder, or a fresh database on the server. */
beforeAll(async () => {
  await payments.start();
  const base = {
    ...process.env,
    LOG_LEVEL: 'silent',
    REDRESS_PAYMENTS_URL: payments.url,
    REDRESS_PAYOUT_LEASE_MS: '1000',
    REDRESS_WORKER_INTERVAL_MS: '100',
  } as Record<string, string>;
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-crash-'));
  if (process.env.DATABASE_URL) {
    const name = `redress_crash_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    // A production database: the server refuses to start without its identity key.
    env = {
      ...base,
      DATABASE_URL: url.toString(),
      REDRESS_DATA_DIR: dataDir,
      REDRESS_IDENTITY_KEY: 'payout-crash-test-identity-key-0123456789',
      REDRESS_MASTER_KEY: Buffer.alloc(32, 3).toString('base64'),
    };
    cleanup = async () => {
      const dropper = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    };
  } else {
    env = { ...base, DATABASE_URL: '', REDRESS_DATA_DIR: dataDir };
    cleanup = async () => {};
  }
  const previousCleanup = cleanup;
  cleanup = async () => {
    await previousCleanup();
    rmSync(dataDir, { recursive: true, force: true });
  };
});
afterAll(async () => {
  await payments.stop();
  await cleanup();
});

function serve(port: number): ChildProcess {
  return spawn('node', ['bin/redress.mjs', 'serve'], {
    env: { ...env, PORT: String(port) },
    stdio: 'ignore',
  });
}

describe('a payout worker killed between calling the provider and storing the answer', () => {
  it('is taken over after restart and the payout settles exactly once', async () => {
    await run('node', ['bin/redress.mjs', 'seed', '--demo', '--claims-per-day', '0'], { env });

    // First life: the provider pays, and the worker is killed before it hears back.
    payments.script = ['pay-then-timeout'];
    const called = new Promise<string>((resolve) => {
      payments.onCall = resolve;
    });
    const first = serve(await freePort());
    const payoutId = await called;
    first.kill('SIGKILL');
    await exited(first);
    expect(payments.timesPaid(payoutId)).toBe(1);

    // Second life: the lease runs out, the worker asks again with the same key.
    payments.onCall = null;
    payments.script = ['ok'];
    const port = await freePort();
    const second = serve(port);
    type ClaimSeen = {
      status: string;
      payment: { payoutId: string; status: string; reference: string } | null;
    };
    let claim: ClaimSeen | null = null;
    for (let i = 0; i < 300 && claim?.status !== 'closed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const res = await fetch(`http://127.0.0.1:${port}/v1/claims?status=closed`, {
        headers: { authorization: `Bearer ${agentKey}` },
      }).catch(() => null);
      if (res?.ok) {
        const body = (await res.json()) as { data: ClaimSeen[] };
        claim = body.data.find((c) => c.payment?.payoutId === payoutId) ?? null;
      }
    }
    second.kill('SIGTERM');
    await exited(second);

    expect(claim).toMatchObject({ status: 'closed', payment: { status: 'settled', reference: 'fp_1' } });
    expect(payments.calls.filter((key) => key === payoutId)).toHaveLength(2);
    // Asked twice with the same key, paid once: the provider holds one payment for it, the first.
    // (The demo's UK and German small claims are paid too, each under its own key.)
    expect(payments.payments.get(payoutId)?.id).toBe('fp_1');
    const check = await run('node', ['bin/redress.mjs', 'ledger', 'check'], { env });
    expect(check.stdout).toContain('ledger OK');
  }, 300_000); // two server starts and a seeded demo: minutes when the machine is shared
});
