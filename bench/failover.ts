import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exited, freePort } from '../test/support/processes.ts';
import { freshDatabase, report, serverAvailable } from './support.ts';

const run = promisify(execFile);
const ADMIN = 'bench-admin-key-000000000000000000000';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `npm run bench -- failover`: a real restart of the machine's PostgreSQL cluster under load.
 * One server process (with its worker) on a fresh database; `concurrency` clients read and
 * write for `seconds` (longer if the restart is slow); after a third of that,
 * `pg_ctlcluster … restart`, once. Prints the status
 * counts, how long /readyz said not ready, and whether the server process lived through it.
 * It disrupts everything else using that PostgreSQL, so it never runs unless named.
 */
export async function failover(options: { seconds: number; concurrency: number }): Promise<void> {
  if (!(await serverAvailable())) {
    process.stdout.write('failover: no PostgreSQL server answers; skipped\n');
    return;
  }
  const version = readdirSync('/etc/postgresql').sort().at(-1);
  if (!version) throw new Error('failover: no cluster under /etc/postgresql to restart');
  const database = await freshDatabase('postgres', { poolSize: 1 });
  await database.handle.close();
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-failover-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn('node', ['bin/redress.mjs', 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: database.url ?? '',
      REDRESS_DATA_DIR: dataDir,
      REDRESS_BOOTSTRAP_ADMIN_KEY: ADMIN,
      REDRESS_IDENTITY_KEY: 'bench-failover-identity-key-0123456789abc',
      REDRESS_MASTER_KEY: Buffer.alloc(32, 3).toString('base64'),
      REDRESS_WORKER_INTERVAL_MS: '200',
      PORT: String(port),
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  let serverExit: number | string | null = null;
  server.once('exit', (code, signal) => {
    serverExit = code ?? signal;
  });
  try {
    await waitUntilReady(base);
    await request(base, 'PUT', '/v1/marketplaces/bench', {
      name: 'Bench',
      currency: 'USD',
      region: 'US',
      timeZone: 'America/New_York',
      policy: {},
    });

    const statuses: Record<string, number> = {};
    let missingRetryAfter = 0;
    const notReady: number[] = [];
    const start = performance.now();
    // Load runs for `seconds`, and on until `seconds / 3` after the restart command returns, so
    // the recovery is measured even when stopping the cluster is slow (it waits for checkpoints).
    let until = start + options.seconds * 1000;
    let restart = { startedAt: 0, tookMs: 0 };
    let restarted = false;
    const loading = () => !restarted || performance.now() < until;
    let firstSuccessAfterRestart: number | null = null;

    const client = async (n: number) => {
      for (let i = 0; loading(); i++) {
        const outcome =
          i % 2 === 0
            ? await request(base, 'GET', '/v1/claims?limit=20')
            : await request(base, 'PUT', `/v1/customers/bench-${n}`, {
                marketplaceId: 'bench',
                name: `Customer ${n}.${i}`,
                email: `c${n}@bench.example`,
                identity: { phone: `+1555000${String(n).padStart(4, '0')}` },
              });
        statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
        if (outcome.status === '503' && !outcome.retryAfter) missingRetryAfter++;
        if (outcome.status === '200' && restarted && firstSuccessAfterRestart === null) {
          firstSuccessAfterRestart = performance.now();
        }
        if (outcome.status === 'connection failed') await sleep(50);
      }
    };
    const readiness = async () => {
      while (loading()) {
        const outcome = await request(base, 'GET', '/readyz');
        if (outcome.status !== '200') notReady.push(performance.now());
        await sleep(100);
      }
    };
    const restarter = async () => {
      await sleep((options.seconds * 1000) / 3);
      const at = performance.now();
      restart.startedAt = at;
      await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart']);
      restart = { startedAt: at, tookMs: Math.round(performance.now() - at) };
      until = Math.max(until, performance.now() + (options.seconds * 1000) / 3);
      restarted = true;
    };
    await Promise.all([
      ...Array.from({ length: options.concurrency }, (_, n) => client(n)),
      readiness(),
      restarter(),
    ]);

    const after = await request(base, 'GET', '/v1/claims?limit=5');
    const readyAfter = await request(base, 'GET', '/readyz');
    const figures = {
      seconds: options.seconds,
      concurrency: options.concurrency,
      statuses,
      missingRetryAfter,
      restartMs: restart.tookMs,
      notReadyMs: notReady.length ? Math.round((notReady.at(-1) ?? 0) - (notReady[0] ?? 0) + 100) : 0,
      firstSuccessAfterRestartMs:
        firstSuccessAfterRestart === null ? null : Math.round(firstSuccessAfterRestart - restart.startedAt),
      serverAlive: serverExit === null,
      afterwards: { request: after.status, readyz: readyAfter.status },
    };
    report('failover', figures, [
      [
        'statuses',
        Object.entries(statuses)
          .map(([s, n]) => `${s}: ${n}`)
          .join(', '),
      ],
      ['503 without Retry-After', String(missingRetryAfter)],
      ['pg_ctlcluster restart', `${figures.restartMs} ms`],
      ['/readyz not ready for', `${figures.notReadyMs} ms`],
      [
        'first 200 after the restart returned, from its start',
        `${figures.firstSuccessAfterRestartMs ?? '-'} ms`,
      ],
      ['server process alive', String(figures.serverAlive)],
      ['afterwards', `request ${after.status}, /readyz ${readyAfter.status}`],
    ]);
  } finally {
    if (serverExit === null) {
      server.kill('SIGTERM');
      await exited(server);
    }
    await database.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function request(
  base: string,
  method: 'GET' | 'PUT',
  path: string,
  body?: unknown,
): Promise<{ status: string; retryAfter: string | null }> {
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    return { status: String(res.status), retryAfter: res.headers.get('retry-after') };
  } catch {
    return { status: 'connection failed', retryAfter: null };
  }
}

async function waitUntilReady(base: string): Promise<void> {
  for (let t = 0; t < 300; t++) {
    if ((await request(base, 'GET', '/readyz')).status === '200') return;
    await sleep(100);
  }
  throw new Error('failover: the server did not become ready');
}
