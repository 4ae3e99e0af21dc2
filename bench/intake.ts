import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { deserialize } from 'node:v8';
import { PGlite, parse as pgliteParse } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pg from 'pg';
import { openPglite, PGLITE_BYTEA, PGLITE_START_PARAMS, pgTypes } from '../src/platform/db/connect.ts';
import { freePort } from '../test/support/processes.ts';
import {
  freshDatabase,
  percentiles,
  realNarratives,
  report,
  SERVER_URL,
  serverAvailable,
  serverEnvironment,
} from './support.ts';

const run = promisify(execFile);
const ADMIN = 'bench-admin-key-000000000000000000000';
const SHARED_IDENTITY_KEY = randomBytes(32).toString('base64');
const SHARED_MASTER_KEY = randomBytes(32).toString('base64');
const LINES = Number(process.env.BENCH_LINES ?? 12_000);

interface Server {
  base: string;
  children: ChildProcess[];
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts N server processes on one database; the first also runs the background worker.
 * `nodeArguments` go to node before the server's own (a preloaded module).
 */
async function startServers(
  env: Record<string, string>,
  processes: number,
  nodeArguments: string[] = [],
): Promise<Server[]> {
  const servers: Server[] = [];
  for (let i = 0; i < processes; i++) {
    const port = await freePort();
    // BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there when it stops (--cpu-prof).
    const profile = process.env.BENCH_CPU_PROF
      ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF]
      : [];
    const child = spawn(
      'node',
      [...profile, ...nodeArguments, 'bin/redress.mjs', 'serve', ...(i > 0 ? ['--no-worker'] : [])],
      {
        env: serverEnvironment({ ...env, PORT: String(port), LOG_LEVEL: 'warn' }),
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const base = `http://127.0.0.1:${port}`;
    for (let t = 0; t < 1200; t++) {
      if (
        await fetch(`${base}/readyz`)
          .then((r) => r.ok)
          .catch(() => false)
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    servers.push({
      base,
      pid: child.pid ?? 0,
      children: [child],
      stop: async () => {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      },
    });
  }
  return servers;
}

/**
 * Where PostgreSQL's time goes, when the server loads pg_stat_statements
 * (shared_preload_libraries): the statements of this database by total execution time.
 */
async function resetStatementStats(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create extension if not exists pg_stat_statements');
    await client.query('select pg_stat_statements_reset()');
    return true;
  } catch {
    return false; // not preloaded on this server: the figures go without the breakdown
  } finally {
    await client.end();
  }
}

async function topStatements(url: string, filings: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ query: string; calls: number; total: number }>(
      `select query, calls::int, total_exec_time as total from pg_stat_statements
       where dbid = (select oid from pg_database where datname = current_database())
       order by total_exec_time desc limit 8`,
    );
    return rows.map((r) => ({
      query: r.query.replace(/\s+/g, ' ').slice(0, 110),
      calls: r.calls,
      msPerFiling: Math.round((r.total / filings) * 100) / 100,
    }));
  } finally {
    await client.end();
  }
}

/** CPU time (user + system) a process has used, in ms, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0; // the process ended: its time is lost to this sample
  }
}

/**
 * Samples the CPU of the server processes and the database's backends, to divide by claims filed.
 * The backends are watched until `cpuSince`, every 250 ms: the pool closes a connection idle for
 * 10 s, and a backend that ended before the last sample took its CPU with it (one run of the
 * seventh session read 3.4 ms of PostgreSQL CPU per filing where its twin read 9.4).
 */
async function cpuSample(servers: Server[], url: string | null) {
  const node = servers.reduce((sum, s) => sum + cpuMs(s.pid), 0);
  return { node, watch: url ? await watchBackends(url) : null };
}

/**
 * The CPU of every backend of the database (the servers' pools and listeners), read every 250 ms
 * until stopped: `first` as the watch began, and the last seen of each.
 */
async function watchBackends(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const lastSeen = new Map<number, number>();
  const look = async () => {
    const { rows } = await client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    for (const { pid } of rows) {
      const ms = cpuMs(pid);
      if (ms > 0) lastSeen.set(pid, Math.max(ms, lastSeen.get(pid) ?? 0));
    }
  };
  await look();
  const first = new Map(lastSeen);
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await look();
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  let stopping: Promise<Map<number, number>> | undefined;
  return {
    first,
    // Once: a second call (a finally after the reading) gets the same figures.
    stop: () => {
      stopping ??= (async () => {
        stopped = true;
        await loop;
        await look();
        await client.end();
        return lastSeen;
      })();
      return stopping;
    },
  };
}

async function cpuSince(
  before: Awaited<ReturnType<typeof cpuSample>>,
  servers: Server[],
): Promise<{ nodeMs: number; postgresMs: number }> {
  const node = servers.reduce((sum, s) => sum + cpuMs(s.pid), 0);
  const seen = (await before.watch?.stop()) ?? new Map<number, number>();
  let postgresMs = 0;
  // A backend opened during the load counts from zero: all its time was spent on it.
  for (const [pid, ms] of seen) postgresMs += ms - (before.watch?.first.get(pid) ?? 0);
  return { nodeMs: node - before.node, postgresMs };
}

/**
 * Real consumers' words, one report per claim: the public CPSC NEISS narratives in ../shared/data
 * (about 1,000), rewritten as a customer writes (simulation/incidents.ts). A templated text
 * ("Kettle 17 overheated…") made every claim a near copy of the one before: screening rightly
 * flagged them as copy-paste, kept them from payout, and its narrative lookup grew with each
 * filing, so the bench measured an attack, not intake. Past the last report the texts repeat and
 * the bench says how many did.
 */
const NARRATIVES = realNarratives();
let repeatedNarratives = 0;
function narrativeFor(n: number): string {
  if (n >= NARRATIVES.length) repeatedNarratives++;
  return NARRATIVES[n % NARRATIVES.length] as string;
}
const auth = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });

/** A marketplace with LINES delivered order lines, one per customer, through the import route. Claims are filed by an agent for each customer, as customer service does. */
async function seed(base: string): Promise<void> {
  const lines: string[] = [];
  const rec = (kind: string, id: string, data: unknown) => lines.push(JSON.stringify({ kind, id, data }));
  rec('marketplace', 'bench', {
    name: 'Bench',
    currency: 'USD',
    region: 'US',
    timeZone: 'America/New_York',
    policy: {},
  });
  rec('insurer', 'ins-1', { name: 'Bench Mutual', financialRating: 'A' });
  for (let s = 0; s < 50; s++) {
    rec('seller', `bs${s}`, {
      marketplaceId: 'bench',
      name: `Seller ${s}`,
      standing: 'good',
      contact: { email: `s${s}@bench.example` },
    });
    rec('insurance_policy', `bs${s}`, {
      insurerId: 'ins-1',
      policyNumber: `BENCH-${s}`,
      perOccurrence: { value: 100_000_000, currency: 'USD' },
      aggregate: { value: 200_000_000, currency: 'USD' },
      deductible: { value: 0, currency: 'USD' },
      additionalInsured: true,
      effectiveFrom: '2020-01-01T00:00:00Z',
      expiresAt: '2030-01-01T00:00:00Z',
    });
  }
  for (let p = 0; p < 250; p++)
    rec('product', `bp${p}`, {
      sellerId: `bs${p % 50}`,
      title: `Kettle ${p}`,
      category: 'kitchen_appliances',
    });
  for (let c = 0; c < LINES; c++) {
    rec('customer', `bc${c}`, {
      marketplaceId: 'bench',
      name: `Customer ${c}`,
      email: `c${c}@bench.example`,
      accountCreatedAt: '2022-01-01T00:00:00Z',
      identity: { phone: `+1500${c}` },
    });
    rec('order', `bo${c}`, {
      marketplaceId: 'bench',
      customerId: `bc${c}`,
      lines: [
        {
          lineId: '1',
          productId: `bp${c % 250}`,
          sellerId: `bs${(c % 250) % 50}`,
          quantity: 1,
          unitPrice: { value: 4999, currency: 'USD' },
          deliveredAt: new Date(Date.now() - 10 * 86_400_000).toISOString(),
        },
      ],
    });
  }
  const res = await fetch(`${base}/v1/imports`, {
    method: 'POST',
    // The import is a job: ask the server to answer when it is done (RFC 7240 Prefer: wait).
    headers: { ...auth(ADMIN), 'content-type': 'application/x-ndjson', prefer: 'wait=60' },
    body: lines.join('\n'),
  });
  const body = (await res.json()) as { failed: number };
  if (body.failed) throw new Error(`seeding failed: ${JSON.stringify(body).slice(0, 500)}`);
}

/** Files claims as fast as `concurrency` callers can for `seconds`, each on its own order line. */
async function load(
  bases: string[],
  agentKey: string,
  next: () => number,
  concurrency: number,
  seconds: number,
) {
  const latencies: number[] = [];
  let errors = 0;
  let firstError = null as string | null;
  const statuses: Record<string, number> = {};
  const until = performance.now() + seconds * 1000;
  const incidentAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < until) {
        const line = next();
        if (line >= LINES) return;
        const t0 = performance.now();
        const res = await fetch(`${bases[(worker + line) % bases.length]}/v1/claims`, {
          method: 'POST',
          headers: { ...auth(agentKey), 'idempotency-key': `bench-claim-${line}` },
          body: JSON.stringify({
            customerId: `bc${line}`,
            channel: 'phone',
            orderId: `bo${line}`,
            lineId: '1',
            type: 'property_damage',
            incidentAt,
            description: narrativeFor(line),
            amount: { value: 30_000, currency: 'USD' },
            damages: [
              { kind: 'property_damage', description: 'Counter', amount: { value: 30_000, currency: 'USD' } },
            ],
          }),
        }).catch(() => null);
        if (res?.status === 201) {
          latencies.push(performance.now() - t0);
          const { status } = (await res.clone().json()) as { status: string };
          statuses[status] = (statuses[status] ?? 0) + 1;
        } else {
          errors++;
          firstError ??= `${res?.status ?? 'no answer'} ${await res
            ?.clone()
            .text()
            .catch(() => '')}`.slice(0, 300);
        }
        await res?.arrayBuffer().catch(() => undefined);
      }
    }),
  );
  return {
    claimsPerSecond: Math.round((latencies.length / seconds) * 10) / 10,
    latencyMs: percentiles(latencies),
    errors,
    firstError,
    statuses,
  };
}

/**
 * The writes of one clean filing (claim, events, outbox, key, payout, ledger) as one transaction,
 * in pgbench's script language: `:n` is a random number, `:client_id` the client.
 */
const SAME_WRITES = `\\set n random(1, 1000000000000000)
begin;
insert into claims (id, marketplace_id, order_id, line_id, customer_id, type, incident_at, description, amount, currency, damages, status, policy_version_id, policy_version, filed_at, filed_by_role, updated_at)
  values ('pgb' || :n || '-' || :client_id, 'pgbench', 'o', '1', 'pgb-c', 'property_damage', now(), 'pgbench claim of the same size as a real one, with a description', 30000, 'USD', '[{"kind":"property_damage","description":"Counter","amount":{"value":30000,"currency":"USD"}}]', 'approved', 'pgb-pol', 1, now(), 'customer', now());
insert into claim_events (claim_id, seq, id, type, at, actor_role, data, prev_hash, hash) values
  ('pgb' || :n || '-' || :client_id, 1, 'e1' || :n || '-' || :client_id, 'claim.filed', now(), 'customer', '{}', '', md5(:n::text)),
  ('pgb' || :n || '-' || :client_id, 2, 'e2' || :n || '-' || :client_id, 'claim.screened', now(), 'customer', '{"score":0.05,"signals":[]}', md5(:n::text), md5(:n::text || 'b')),
  ('pgb' || :n || '-' || :client_id, 3, 'e3' || :n || '-' || :client_id, 'claim.approved', now(), 'customer', '{}', md5(:n::text || 'b'), md5(:n::text || 'c')),
  ('pgb' || :n || '-' || :client_id, 4, 'e4' || :n || '-' || :client_id, 'claim.seller_notified', now(), 'customer', '{}', md5(:n::text || 'c'), md5(:n::text || 'd'));
insert into outbox (event_id, event_type, marketplace_id, aggregate_type, aggregate_id, payload, created_at)
  select 'x' || g || '-' || :n || '-' || :client_id, 'claim.filed', 'pgbench', 'claim', 'pgb' || :n, '{"claimId":"x"}', now() from generate_series(1, 4) g;
update claims set last_event_seq = 4, last_event_hash = md5(:n::text) where id = 'pgb' || :n || '-' || :client_id;
insert into idempotency_keys (principal, operation, key, request_sha256, response_status, response_body, created_at)
  values ('pgb', 'claims.file', :n || '-' || :client_id, md5(:n::text), 201, '{"id":"x"}', now());
insert into payouts (id, claim_id, marketplace_id, customer_id, payer, amount, currency, provider, status, next_attempt_at, created_at)
  values ('p' || :n || '-' || :client_id, 'pgb' || :n || '-' || :client_id, 'pgbench', 'pgb-c', 'marketplace', 30000, 'USD', 'ledger', 'pending', now(), now());
insert into journal_entries (id, marketplace_id, claim_id, kind, created_at) values ('j' || :n || '-' || :client_id, 'pgbench', 'pgb' || :n, 'claim_accrued', now());
insert into journal_lines (entry_id, line_no, marketplace_id, account_id, amount, currency) values
  ('j' || :n || '-' || :client_id, 1, 'pgbench', 'guarantee_fund:pgbench', 30000, 'USD'), ('j' || :n || '-' || :client_id, 2, 'pgbench', 'customer_payable:pgbench:pgb-c', -30000, 'USD');
insert into ledger_balance_stripes (account_id, stripe, balance) values ('guarantee_fund:pgbench', :client_id % 16, 30000)
  on conflict (account_id, stripe) do update set balance = ledger_balance_stripes.balance + excluded.balance;
update ledger_accounts set balance = balance - 30000 where id = 'customer_payable:pgbench:pgb-c' || (:client_id % 8);
commit;
`;

/** The rows SAME_WRITES refers to, written once before it runs. */
const SAME_WRITES_FIXTURES = [
  `insert into marketplaces (id, name, currency, region, holiday_calendar, time_zone, created_at, updated_at, locale)
     values ('pgbench', 'pgbench', 'USD', 'US', 'US', 'America/New_York', now(), now(), 'en-US')`,
  `insert into policy_versions values ('pgb-pol', 'pgbench', 1, '{}', now(), 'bench')`,
  `insert into customers (id, marketplace_id, name, email, created_at, updated_at) values ('pgb-c', 'pgbench', 'c', 'c@x', now(), now())`,
  `insert into ledger_accounts (id, marketplace_id, kind, currency, created_at) values ('guarantee_fund:pgbench', 'pgbench', 'guarantee_fund', 'USD', now()), ('customer_payable:pgbench:pgb-c', 'pgbench', 'customer_payable', 'USD', now())`,
  // One customer account per client: a real filing's customer account is its own, never shared.
  `insert into ledger_accounts (id, marketplace_id, kind, currency, created_at) select 'customer_payable:pgbench:pgb-c' || g, 'pgbench', 'customer_payable', 'USD', now() from generate_series(0, 7) g`,
];

/**
 * pgbench running SAME_WRITES on the server, 8 clients: its transactions per second, and the
 * PostgreSQL CPU each transaction cost (the database's backends watched as in a measured run).
 * The second is a floor under a filing's PostgreSQL CPU: a filing makes these writes and more
 * (its screening reads, the worker's settlement, mail and fan-out).
 */
async function pgbenchCeiling(
  url: string,
  clients: number,
  seconds: number,
): Promise<{ tps: number; postgresMsPerTransaction: number | null } | null> {
  const dir = mkdtempSync(join(tmpdir(), 'redress-pgbench-'));
  const script = join(dir, 'claim.sql');
  writeFileSync(script, SAME_WRITES);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const fixture of SAME_WRITES_FIXTURES) await client.query(fixture);
  await client.end();
  let watch: Awaited<ReturnType<typeof watchBackends>> | undefined;
  try {
    watch = await watchBackends(url);
    const { stdout } = await run('pgbench', [
      '-n',
      '-c',
      String(clients),
      '-j',
      '2',
      '-T',
      String(seconds),
      '-f',
      script,
      url,
    ]);
    // Every backend seen ran pgbench's transactions (the servers are stopped), from its first look.
    const seen = await watch.stop();
    let postgresMs = 0;
    for (const [pid, ms] of seen) postgresMs += ms - (watch.first.get(pid) ?? 0);
    const tps = stdout.match(/tps = ([\d.]+)/);
    const done = stdout.match(/number of transactions actually processed: (\d+)/);
    if (!tps) return null;
    const transactions = done ? Number(done[1]) : 0;
    return {
      tps: Number(tps[1]),
      postgresMsPerTransaction: transactions ? Math.round((postgresMs / transactions) * 100) / 100 : null,
    };
  } catch (error) {
    process.stderr.write(`pgbench did not run: ${(error as Error).message.slice(0, 300)}\n`);
    return null;
  } finally {
    await watch?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A server with a recorder preloaded (`recorder`, beside this file), warmed as the measured
 * servers are (its calls replayed but not timed), then filing at one caller for `seconds` until
 * its worker has done everything the filings left it. Returns when the timed filings began, when
 * the server's CPU was read after their backlog, how many were filed, and the CPU they took
 * (PostgreSQL's too when `url` is given).
 */
async function recordedRun(
  env: Record<string, string>,
  recorder: string,
  url: string | null,
  agentKey: string,
  next: () => number,
  seconds: number,
): Promise<{
  startedAt: number;
  endedAt: number;
  filed: number;
  cpu: { nodeMs: number; postgresMs: number };
}> {
  const [server] = await startServers(env, 1, [
    '--import',
    fileURLToPath(new URL(recorder, import.meta.url)),
  ]);
  if (!server) throw new Error('the recording server did not start');
  let before: Awaited<ReturnType<typeof cpuSample>> | undefined;
  try {
    await load([server.base], agentKey, next, 1, Number(process.env.BENCH_WARMUP_SECONDS ?? 5));
    await drained(server.base);
    before = await cpuSample([server], url);
    const startedAt = Date.now();
    const result = await load([server.base], agentKey, next, 1, seconds);
    const backlog = await drained(server.base);
    if (!backlog.done) throw new Error(`the recorded run's backlog was not done after ${backlog.ms} ms`);
    // Before the CPU is read: what the worker sends while the backends' watch stops is not timed.
    const endedAt = Date.now();
    const cpu = await cpuSince(before, [server]);
    return { startedAt, endedAt, filed: Math.max(1, Math.round(result.claimsPerSecond * seconds)), cpu };
  } finally {
    // Stopped once whatever happened: a watch left running dies with its database, uncaught.
    await before?.watch?.stop().catch(() => undefined);
    await server.stop();
  }
}

/** What bench/record-pglite.mjs recorded of one call into PGlite. */
type RecordedCall =
  | { at: number; method: 'execProtocolStream'; message: Uint8Array; failed: boolean }
  | { at: number; method: 'syncToFs'; failed: boolean };

/**
 * PGlite's ceiling as the issue states it: the same statements as Redress's, without Redress.
 * A server with bench/record-pglite.mjs preloaded files claims at one caller for `seconds` on a
 * copy of the bench's database, until its worker has done everything they left it; every
 * protocol message its PGlite runs and every write of its files is recorded. A plain script then
 * runs them again, in order, on a second copy taken before that server started, parsing each
 * answer as PGlite's query does: what came before the first filing brings the copy to the same
 * state and is not timed, the filings and their backlog are. Returns the CPU per filing of each:
 * the server's from /proc over the run and its backlog (PGlite runs inside it), the script's
 * from process.cpuUsage over the same filings' calls. CPU, not the rates: at one caller the
 * server waits between filings and for its worker's next poll, while the script never waits, so
 * their ratio is what each could file at a core's limit. Also how many calls failed otherwise
 * on replay than when recorded (0 when the replay did what Redress did).
 */
async function sameStatementsCeiling(
  env: Record<string, string>,
  dataDir: string,
  agentKey: string,
  next: () => number,
  seconds: number,
): Promise<{
  redressCpuMs: number;
  scriptCpuMs: number;
  calls: number;
  diverged: number;
  firstDivergence: string;
}> {
  const work = mkdtempSync(join(tmpdir(), 'redress-replay-'));
  const recording = join(work, 'calls.bin');
  const captured = join(work, 'captured');
  const replayed = join(work, 'replayed');
  try {
    cpSync(dataDir, captured, { recursive: true });
    cpSync(dataDir, replayed, { recursive: true });
    const { startedAt, endedAt, filed, cpu } = await recordedRun(
      { ...env, REDRESS_DATA_DIR: captured, BENCH_RECORD_PGLITE: recording },
      './record-pglite.mjs',
      null,
      agentKey,
      next,
      seconds,
    );
    const redressCpuMs = cpu.nodeMs;
    const calls = (deserialize(readFileSync(recording)) as RecordedCall[]).filter((c) => c.at < endedAt);
    const pglite = await PGlite.create({
      dataDir: replayed,
      startParams: PGLITE_START_PARAMS,
      ...PGLITE_BYTEA,
    });
    let diverged = 0;
    let firstDivergence = '';
    const answers: Awaited<ReturnType<PGlite['execProtocolStream']>> = [];
    let timedFrom: NodeJS.CpuUsage | null = null;
    let scriptCpuMs = 0;
    try {
      for (const [index, call] of calls.entries()) {
        if (!timedFrom && call.at >= startedAt) timedFrom = process.cpuUsage();
        let error = '';
        const failed = await (async () => {
          if (call.method === 'syncToFs') return void (await pglite.syncToFs());
          // Never synced here: a sync the call made was recorded as a call of its own.
          answers.push(...(await pglite.execProtocolStream(call.message, { syncToFs: false })));
          // An answer is read when its Sync is: PGlite's query sends its messages one call each.
          if (endsWithSync(call.message)) pgliteParse.parseResults(answers.splice(0), pglite.parsers);
        })().then(
          () => false,
          (e: Error) => {
            error = e.message;
            return true;
          },
        );
        if (failed !== call.failed && diverged++ === 0)
          firstDivergence = `call ${index} (${call.method}) ${failed ? `failed: ${error}` : 'succeeded, failed when recorded'}`;
      }
      // The timed calls are the last ones (recorded in order): read once, after them.
      if (timedFrom) {
        const used = process.cpuUsage(timedFrom);
        scriptCpuMs = (used.user + used.system) / 1000;
      }
    } finally {
      await pglite.close();
    }
    const perFiling = (ms: number) => Math.round((ms / filed) * 10) / 10;
    return {
      redressCpuMs: perFiling(redressCpuMs),
      scriptCpuMs: perFiling(scriptCpuMs),
      calls: calls.filter((c) => c.at >= startedAt).length,
      diverged,
      firstDivergence,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** What bench/record-pg.mjs recorded of one statement sent through `pg`. */
interface RecordedStatement {
  connection: number;
  /** The backend's process id; for a notification, the notifying backend's. */
  pid?: number;
  from?: number;
  notification?: true;
  at: number;
  /** Marks on one counter: sent, and answered (0: never answered before the process ended). */
  sent: number;
  done: number;
  failed: boolean;
  text?: string;
  name?: string;
  values?: unknown[];
  submittable?: true;
}

/**
 * Node's floor on PostgreSQL: the same statements as Redress's, sent through `pg` by a script
 * with nothing of Redress around them. The database's state is copied (a template) once the
 * measured servers have stopped; a server with bench/record-pg.mjs preloaded then warms up and
 * files at one caller for `seconds` on the original, until its worker has done everything the
 * filings left it, and every statement it sends is recorded with its connection. The script
 * runs them again on the copy, one `pg` client per recorded connection, with the types Redress
 * gives `pg` (int8 as a number): a statement is sent once every statement answered before it was
 * sent in the recording has been answered in the replay, so what one connection waited for
 * (a commit, a lock, a NOTIFY's commit) comes first here too, and the connections overlap as they did. The warm-up's
 * statements bring the copy to the same state and are not timed; the filings' and their
 * backlog's are. Returns the CPU per filing of each side, Node and PostgreSQL: the server's from
 * /proc, the script's from process.cpuUsage, the backends' of each database from /proc.
 */
async function samePostgresStatements(
  env: Record<string, string>,
  url: string,
  agentKey: string,
  next: () => number,
  seconds: number,
): Promise<{
  redress: { nodeMs: number; postgresMs: number };
  script: { nodeMs: number; postgresMs: number };
  statements: number;
  relaxed: number;
  diverged: number;
  firstDivergence: string;
}> {
  const work = mkdtempSync(join(tmpdir(), 'redress-replay-pg-'));
  const recording = join(work, 'statements.bin');
  const original = new URL(url).pathname.slice(1);
  const copyName = `${original}_replay`;
  const copyUrl = new URL(url);
  copyUrl.pathname = `/${copyName}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    // A copy a crashed run left behind would make `create` fail.
    await admin.query(`drop database if exists ${copyName} with (force)`);
    await admin.query(`create database ${copyName} template ${original}`);
    const {
      startedAt,
      endedAt,
      filed,
      cpu: redress,
    } = await recordedRun(
      { ...env, DATABASE_URL: url, BENCH_RECORD_PG: recording },
      './record-pg.mjs',
      url,
      agentKey,
      next,
      seconds,
    );
    const recorded = deserialize(readFileSync(recording)) as RecordedStatement[];
    markNotifyingCommits(recorded);
    // Up to the moment the server's CPU was read: what the worker sent after, until it stopped, is
    // not the filings'. The bench's reads of /metrics while waiting for the backlog are on both sides.
    const statements = recorded.filter(
      (s) => !s.notification && !s.submittable && s.text !== undefined && s.at < endedAt,
    );
    const timed = statements.filter((s) => s.at >= startedAt).length;
    if (timed === 0) throw new Error('no statement was recorded during the timed filings');
    const byAnswer = statements
      .map((s, index) => ({ index, done: s.done || Number.POSITIVE_INFINITY }))
      .sort((a, b) => a.done - b.done);
    const clients = new Map<number, pg.Client>();
    const outcomes: Promise<boolean>[] = [];
    const answered: boolean[] = [];
    let answeredUpTo = 0;
    let relaxed = 0;
    let diverged = 0;
    let firstDivergence = '';
    let timedFrom: NodeJS.CpuUsage | null = null;
    let watch: Awaited<ReturnType<typeof cpuSample>> | null = null;
    try {
      // Opened before the clock starts. (The server's pool may have opened some during the run,
      // when one idle for 10 s had closed: Redress pays that connect here, the script does not.)
      for (const s of statements) {
        if (clients.has(s.connection)) continue;
        const client = new pg.Client({ connectionString: copyUrl.toString(), types: pgTypes });
        client.on('error', () => undefined); // a connection ended by the copy's drop, below
        clients.set(s.connection, client);
        await client.connect();
      }
      for (const [index, s] of statements.entries()) {
        if (!timedFrom && s.at >= startedAt) {
          await stallGuard(Promise.all(outcomes), 'the warm-up');
          watch = await cpuSample([], copyUrl.toString());
          timedFrom = process.cpuUsage();
        }
        // Everything answered before this statement was sent is answered here first. But two
        // statements sent close together on two connections may reach the database in either
        // order, and the recording cannot say which came first: when the one waited for is kept
        // waiting by a lock the other took first here, what would release that lock comes later
        // in the recorded order. After a second the replay goes on without the answer, as the
        // recorded database must have run them (counted: a relaxed wait).
        while (answeredUpTo < byAnswer.length && (byAnswer[answeredUpTo]?.done ?? 0) < s.sent) {
          const awaited = byAnswer[answeredUpTo]?.index ?? 0;
          if (!answered[awaited] && !(await answeredWithin(outcomes[awaited], 1000))) relaxed++;
          answeredUpTo++;
        }
        const client = clients.get(s.connection) as pg.Client;
        const values = s.values?.map((v) =>
          v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v) : v,
        );
        const config = {
          text: s.text as string,
          ...(s.name ? { name: s.name } : {}),
          ...(values ? { values } : {}),
        };
        outcomes[index] = client.query(config).then(
          () => {
            answered[index] = true;
            if (s.failed && diverged++ === 0)
              firstDivergence = `statement ${index} succeeded, failed when recorded: ${s.text?.slice(0, 80)}`;
            return false;
          },
          (error: Error) => {
            answered[index] = true;
            if (!s.failed && diverged++ === 0)
              firstDivergence = `statement ${index} failed: ${error.message}`;
            return true;
          },
        );
      }
      await stallGuard(Promise.all(outcomes), 'the last statements');
      const used = timedFrom ? process.cpuUsage(timedFrom) : { user: 0, system: 0 };
      const backends = watch ? await cpuSince(watch, []) : { nodeMs: 0, postgresMs: 0 };
      const perFiling = (ms: number) => Math.round((ms / filed) * 10) / 10;
      return {
        redress: { nodeMs: perFiling(redress.nodeMs), postgresMs: perFiling(redress.postgresMs) },
        script: {
          nodeMs: perFiling((used.user + used.system) / 1000),
          postgresMs: perFiling(backends.postgresMs),
        },
        statements: timed,
        relaxed,
        diverged,
        firstDivergence,
      };
    } finally {
      await watch?.watch?.stop().catch(() => undefined);
      await Promise.all([...clients.values()].map((c) => c.end().catch(() => undefined)));
    }
  } finally {
    await admin.query(`drop database if exists ${copyName} with (force)`).catch(() => undefined);
    await admin.end();
    if (!process.env.BENCH_KEEP_REPLAY) rmSync(work, { recursive: true, force: true });
  }
}

/**
 * A NOTIFY reaches its listener once the notifying statement's transaction is done (a trigger on
 * payouts notifies the worker), and Node may read the notice before that connection's own answer.
 * What the worker sent on waking must then wait for it on replay: the notifying backend's
 * statement in flight when the notice came, if it ended a transaction (a `commit`, or a statement
 * outside one), counts as answered at the notice. Any other statement there was sent after the
 * commit had been answered, so nothing needs to move.
 */
function markNotifyingCommits(recorded: RecordedStatement[]): void {
  const inTransaction = new Map<number, boolean>();
  const ends = new Set<RecordedStatement>();
  const last = new Map<number, RecordedStatement>();
  for (const r of recorded) {
    if (r.notification) {
      const candidate = r.from === undefined ? undefined : last.get(r.from);
      if (candidate && ends.has(candidate) && (candidate.done === 0 || candidate.done > r.sent))
        candidate.done = r.sent;
      continue;
    }
    const text = r.text?.trim().toLowerCase() ?? '';
    const open = inTransaction.get(r.connection) ?? false;
    if (text.startsWith('begin')) inTransaction.set(r.connection, true);
    else if (text.startsWith('commit') || text.startsWith('rollback')) {
      inTransaction.set(r.connection, false);
      ends.add(r);
    } else if (!open && !r.submittable) ends.add(r);
    if (r.pid !== undefined) last.set(r.pid, r);
  }
}

/** Whether `answer` came within `ms` (a failed statement's answer counts: it came). */
async function answeredWithin(answer: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([Promise.resolve(answer).then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A replay whose outstanding answers take 30 s has met a wait the recording did not show: it
 * fails, naming what it waited for, instead of hanging the bench.
 */
async function stallGuard(answers: Promise<unknown>, what: string): Promise<void> {
  if (!(await answeredWithin(answers, 30_000))) throw new Error(`the replay stalled waiting for ${what}`);
}

/** Whether a run of protocol messages ends with Sync ('S', length 4). */
function endsWithSync(message: Uint8Array): boolean {
  const at = message.length - 5;
  return at >= 0 && message[at] === 83 && message[at + 4] === 4 && message[at + 1] === 0;
}

/**
 * PGlite's ceiling: SAME_WRITES run by a plain script on the server's own PGlite folder (the server
 * stopped), one statement at a time as pgbench sends them, with the variables written in as
 * pgbench's simple protocol does. PGlite has one session, so there is one client.
 */
async function rawPgliteCeiling(dataDir: string, seconds: number): Promise<number> {
  const pglite = await PGlite.create({ dataDir, startParams: PGLITE_START_PARAMS });
  try {
    for (const fixture of SAME_WRITES_FIXTURES) await pglite.exec(fixture);
    const statements = SAME_WRITES.split('\n')
      .filter((line) => !line.startsWith('\\set'))
      .join('\n')
      .split(/;\n/)
      .map((statement) => statement.trim().replace(/;$/, ''))
      .filter(Boolean);
    let done = 0;
    const until = performance.now() + seconds * 1000;
    while (performance.now() < until) {
      // Numbered, not drawn: 4,500 draws from a billion repeated one about once in a hundred runs,
      // and the claim's key with it (the run failed on a duplicate key).
      const n = String(done + 1);
      for (const statement of statements)
        await pglite.exec(statement.replaceAll(':client_id', '0').replaceAll(':n', n));
      done++;
    }
    return Math.round((done / seconds) * 10) / 10;
  } finally {
    await pglite.close();
  }
}

/**
 * The server's own figures for the timed payouts, read from the payouts table once the servers
 * have stopped (a PGlite folder has one user at a time): `created_at` is the filing's clock
 * reading when it queued the payout, inside its transaction, so created → settled is an upper
 * bound of commit → settled (it includes the rest of the filing and its commit); the filer's
 * answer arrives after the commit, so answered → settled is a lower bound (negative when the
 * payout settled before the answer reached the filer).
 */
async function serverClockPayouts(
  engine: string,
  url: string | null,
  dataDir: string,
  answered: Map<string, number>,
): Promise<[string, string, ReturnType<typeof percentiles> & { count: number }][]> {
  type Row = { claim_id: string; created_at: Date; settled_at: Date | null };
  const query = `select claim_id, created_at, settled_at from payouts where claim_id = any($1)`;
  let rows: Row[];
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    rows = (await client.query<Row>(query, [[...answered.keys()]])).rows;
    await client.end();
  } else {
    const handle = await openPglite({ dataDir });
    rows = (
      await sql<Row>`select claim_id, created_at, settled_at from payouts
      where claim_id in (${sql.join([...answered.keys()])})`.execute(handle.db)
    ).rows;
    await handle.close();
  }
  const settled = rows.filter((r) => r.settled_at !== null);
  const at = (d: Date | null) => new Date(d ?? 0).getTime();
  const created = settled.map((r) => at(r.settled_at) - at(r.created_at));
  const afterAnswer = settled.map((r) => at(r.settled_at) - (answered.get(r.claim_id) ?? 0));
  const figure = (values: number[]) => ({ ...percentiles(values), count: values.length });
  return [
    [
      `${engine}_payout_queued_to_settled_ms`,
      `${engine}, payout queued (in the filing's transaction) → settled, server clock; upper bound of commit → settled`,
      figure(created),
    ],
    [
      `${engine}_filing_answered_to_settled_ms`,
      `${engine}, filing answered → payout settled, same clock; lower bound of commit → settled`,
      figure(afterAnswer),
    ],
  ];
}

/**
 * The best sustained claims/s of one process's runs (figures keyed by `prefix`; the work the
 * filings left the worker counted, see `drained`) as a share of a ceiling.
 */
function shareOfCeiling(figures: Record<string, unknown>, prefix: string, ceiling: number): number {
  const best = Math.max(
    ...Object.entries(figures)
      .filter(([key]) => key.startsWith(prefix))
      .map(
        ([, figure]) => (figure as { sustainedClaimsPerSecond: number | null }).sustainedClaimsPerSecond ?? 0,
      ),
  );
  return Math.round((best / ceiling) * 1000) / 1000;
}

/**
 * Waits until the worker has done everything the filings left it: no payout unsettled, no outbox
 * message unfanned, no webhook or e-mail pending (the lag gauges of /metrics, all at 0). Read
 * every 250 ms: each read counts the claims by status, a few ms of the CPU it measures.
 */
async function drained(base: string, limitMs = 600_000): Promise<{ ms: number; done: boolean }> {
  const started = performance.now();
  const lagLine = /^redress_(?:outbox|payout)_lag_seconds(?:\{[^}]*\})? (\S+)$/gm;
  while (performance.now() - started < limitMs) {
    const text = await (await fetch(`${base}/metrics`, { headers: auth(ADMIN) })).text();
    const lags = [...text.matchAll(lagLine)].map((m) => Number(m[1]));
    if (lags.length === 4 && lags.every((lag) => lag === 0))
      return { ms: Math.round(performance.now() - started), done: true };
    await new Promise((r) => setTimeout(r, 250));
  }
  return { ms: Math.round(performance.now() - started), done: false };
}

/** Claims per second over HTTP at several concurrency levels, per engine and process count. */
export async function intake(options: {
  seconds: number;
  concurrency: number[];
  processes: number[];
}): Promise<void> {
  const available: ('pglite' | 'postgres')[] = (await serverAvailable())
    ? ['pglite', 'postgres']
    : ['pglite'];
  // BENCH_ENGINES=postgres (or pglite) measures one engine only.
  const engines = available.filter((e) => (process.env.BENCH_ENGINES ?? e).split(',').includes(e));
  const figures: Record<string, unknown> = {};
  const rows: [string, string][] = [];
  // Each figure is printed as soon as it is measured: a failure later in the run keeps it.
  const keep = rows.push.bind(rows);
  rows.push = (...measured) => {
    for (const [what, figure] of measured) process.stderr.write(`${what}: ${figure}\n`);
    return keep(...measured);
  };
  for (const engine of engines) {
    for (const processes of engine === 'pglite' ? [1] : options.processes) {
      const db = await freshDatabase(engine);
      const dataDir = mkdtempSync(join(tmpdir(), 'redress-intake-'));
      const url = db.url;
      await db.handle.close(); // the servers open it themselves
      const env: Record<string, string> = {
        ...(url ? { DATABASE_URL: url } : {}),
        // One set of keys for every process, as an operator's deployment has (docs/security.md).
        REDRESS_IDENTITY_KEY: SHARED_IDENTITY_KEY,
        REDRESS_MASTER_KEY: SHARED_MASTER_KEY,
        REDRESS_DATA_DIR: dataDir,
        REDRESS_BOOTSTRAP_ADMIN_KEY: ADMIN,
        // The worker's poll as production runs it (1 s) unless BENCH_WORKER_INTERVAL_MS says
        // otherwise: payouts are woken by the filing's commit, not found by the poll, so a faster
        // poll only adds idle passes to the CPU per filing (it was 100 ms until payouts were woken).
        ...(process.env.BENCH_WORKER_INTERVAL_MS
          ? { REDRESS_WORKER_INTERVAL_MS: process.env.BENCH_WORKER_INTERVAL_MS }
          : {}),
        // One agent key files every claim from one address: production's limits (20 a minute
        // per key) would refuse the load; the bench measures intake, not the limiter.
        REDRESS_RATE_LIMIT_CLAIMS_PER_KEY: '100000000',
        REDRESS_RATE_LIMIT_CLAIMS_PER_ADDRESS: '100000000',
        REDRESS_RATE_LIMIT_AUTH_FAILURES: '100000000',
      };
      const servers = await startServers(env, processes);
      // The timed payouts' claims, with when the filer had the answer (wall clock, ms).
      const timedPayouts = new Map<string, number>();
      // What the PGlite replay needs from the run (its filings go on with the same numbering).
      let sameStatementsArgs: [Record<string, string>, string, string, () => number] | null = null;
      try {
        const primary = servers[0] as Server;
        await seed(primary.base);
        const agentRes = await fetch(`${primary.base}/v1/api-keys`, {
          method: 'POST',
          headers: auth(ADMIN),
          body: JSON.stringify({ role: 'agent' }),
        });
        const agentKey = ((await agentRes.json()) as { secret: string }).secret;
        // What the servers spend with nothing filed (the worker's polling passes, the pool):
        // under a slow run it is a large share of "per filing", so it is printed to subtract.
        const idleSeconds = 5;
        const idleBefore = await cpuSample(servers, url);
        await new Promise((r) => setTimeout(r, idleSeconds * 1000));
        const idle = await cpuSince(idleBefore, servers);
        const idleNodeMsPerSecond = Math.round((idle.nodeMs / idleSeconds) * 10) / 10;
        figures[`${engine}_${processes}p_idle_node_ms_per_s`] = idleNodeMsPerSecond;
        rows.push([
          `${engine}, ${processes} process(es), idle`,
          `Node ${idleNodeMsPerSecond} ms CPU per second (worker's poll every ${process.env.BENCH_WORKER_INTERVAL_MS ?? 'default 1000'} ms)`,
        ]);
        let line = 0;
        const next = () => line++;
        sameStatementsArgs = [env, dataDir, agentKey, next];
        // Filings before the measured runs, not counted: a process's first filings load the
        // language model and the modules they use, compile hot code and make each pooled
        // connection plan its prepared statements (the screening facts take 8 ms to plan, six
        // times per connection). A production server pays that once; a 10 s run paid it in its
        // figures. BENCH_WARMUP_SECONDS=0 measures a cold process as the bench did before.
        const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
        if (warmupSeconds > 0) {
          const warm = await load(
            servers.map((s) => s.base),
            agentKey,
            next,
            Math.max(...options.concurrency),
            warmupSeconds,
          );
          // Its payouts, mail and webhooks are the worker's before the first measured run, not in it.
          const backlog = await drained(primary.base);
          rows.push([
            `${engine}, ${processes} process(es), warm-up (not measured)`,
            `${Math.round(warm.claimsPerSecond * warmupSeconds)} claims in ${warmupSeconds} s at ${Math.max(...options.concurrency)} concurrent, errors ${warm.errors}; backlog ${backlog.done ? 'done' : 'not done'} after ${backlog.ms} ms`,
          ]);
        }
        for (const concurrency of options.concurrency) {
          const statementsWatched = url && processes === 1 ? await resetStatementStats(url) : false;
          const before = await cpuSample(servers, url);
          const result = await load(
            servers.map((s) => s.base),
            agentKey,
            next,
            concurrency,
            options.seconds,
          );
          // What the filings left to the worker (payouts, fan-out, webhooks, e-mail) is theirs too:
          // the CPU is read once it is all done, and the time it took counts against the rate a
          // server could keep up (sustained). Until the seventh session the CPU was read when the
          // filers stopped, and at 8 callers the fan-out and mail fell minutes behind unseen.
          const backlog = await drained(primary.base);
          const cpu = await cpuSince(before, servers);
          const filed = Math.max(1, Math.round(result.claimsPerSecond * options.seconds));
          const sustained = Math.round((filed / (options.seconds + backlog.ms / 1000)) * 10) / 10;
          if (statementsWatched && url) {
            for (const row of await topStatements(url, filed))
              rows.push([
                `  postgres c${concurrency}: ${row.query}`,
                `${row.calls} calls, ${row.msPerFiling} ms per filing`,
              ]);
          }
          const perFiling = {
            nodeMs: Math.round((cpu.nodeMs / filed) * 10) / 10,
            nodeLessIdleMs:
              Math.round(
                ((cpu.nodeMs - idleNodeMsPerSecond * (options.seconds + backlog.ms / 1000)) / filed) * 10,
              ) / 10,
            postgresMs: url ? Math.round((cpu.postgresMs / filed) * 10) / 10 : null,
          };
          figures[`${engine}_${processes}p_c${concurrency}`] = {
            ...result,
            backlogDrainedMs: backlog.done ? backlog.ms : null,
            sustainedClaimsPerSecond: backlog.done ? sustained : null,
            cpuPerFiling: perFiling,
          };
          rows.push([
            `${engine}, ${processes} process(es), ${concurrency} concurrent`,
            `${result.claimsPerSecond} claims/s (${backlog.done ? `backlog done ${backlog.ms} ms after: ${sustained} claims/s sustained` : `backlog not done within ${backlog.ms} ms`}), p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, statuses ${JSON.stringify(result.statuses)}, errors ${result.errors}${result.firstError ? ` (first: ${result.firstError.slice(0, 120)})` : ''}; CPU per filing: Node ${perFiling.nodeMs} ms (${perFiling.nodeLessIdleMs} ms less idle)${url ? `, PostgreSQL ${perFiling.postgresMs} ms` : ' (PGlite inside)'}`,
          ]);
        }
        if (processes === 1) {
          // Each run above waited for its backlog (drained), so this finds none: it makes sure the
          // figure below is 8 filers' payouts and not what earlier runs left.
          const backlog = await drained(primary.base);
          rows.push([
            `${engine}, backlog of the runs above done before timing payouts`,
            backlog.done ? `after ${backlog.ms} ms` : `not within ${backlog.ms} ms`,
          ]);
          // 8 filers at once, each filing a clean small claim and watching it until it is paid.
          const payout: number[] = [];
          const notApproved: string[] = [];
          const filers = 8;
          const perFiler = Number(process.env.BENCH_PAYOUTS_PER_FILER ?? 5);
          await Promise.all(
            Array.from({ length: filers }, async () => {
              for (let n = 0; n < perFiler; n++) {
                const id = next();
                const t0 = performance.now();
                const res = await fetch(`${primary.base}/v1/claims`, {
                  method: 'POST',
                  headers: { ...auth(agentKey), 'idempotency-key': `payout-claim-${id}` },
                  body: JSON.stringify({
                    customerId: `bc${id}`,
                    channel: 'phone',
                    orderId: `bo${id}`,
                    lineId: '1',
                    type: 'property_damage',
                    incidentAt: new Date(Date.now() - 86_400_000).toISOString(),
                    description: narrativeFor(id),
                    amount: { value: 20_000, currency: 'USD' },
                    damages: [
                      {
                        kind: 'property_damage',
                        description: 'Floor',
                        amount: { value: 20_000, currency: 'USD' },
                      },
                    ],
                  }),
                });
                const claim = (await res.json()) as { id: string; status: string };
                // Only a claim approved at filing is the marketplace's to pay at once; one that
                // screening sent to a person is counted, not timed.
                if (claim.status !== 'approved') {
                  notApproved.push(claim.status ?? String(res.status));
                  continue;
                }
                // The answer arrives after the filing committed: the same machine's clock as the server's.
                timedPayouts.set(claim.id, Date.now());
                for (let poll = 0; poll < 1000; poll++) {
                  const state = (await (
                    await fetch(`${primary.base}/v1/claims/${claim.id}`, { headers: auth(agentKey) })
                  ).json()) as { payment: { status: string } | null };
                  if (state.payment?.status === 'settled') break;
                  // Gently: eight callers polling every 5 ms were load of their own.
                  await new Promise((r) => setTimeout(r, 25));
                }
                payout.push(performance.now() - t0);
              }
            }),
          );
          figures[`${engine}_time_to_payout_ms`] = percentiles(payout);
          const p = percentiles(payout);
          rows.push([
            `${engine}, time to payout, end to end, ${filers} concurrent filers (filing sent → filer sees it settled, polling every 25 ms)`,
            `p50 ${p.p50} ms, p99 ${p.p99} ms over ${payout.length} claims${notApproved.length ? `; not approved at filing: ${notApproved.join(', ')}` : ''}`,
          ]);
        }
      } finally {
        for (const s of servers) await s.stop();
        if (timedPayouts.size > 0) {
          for (const [key, what, figure] of await serverClockPayouts(engine, url, dataDir, timedPayouts)) {
            figures[key] = figure;
            rows.push([what, `p50 ${figure.p50} ms, p99 ${figure.p99} ms over ${figure.count} payouts`]);
          }
        }
        const same =
          !url && sameStatementsArgs
            ? await sameStatementsCeiling(...sameStatementsArgs, options.seconds).catch((error: Error) => {
                process.stderr.write(
                  `the same-statements replay did not run: ${error.message.slice(0, 300)}\n`,
                );
                return null;
              })
            : null;
        if (same) {
          figures.pglite_same_statements = same;
          figures.ratio_to_same_statements = Math.round((same.scriptCpuMs / same.redressCpuMs) * 1000) / 1000;
          rows.push([
            'PGlite, the same statements replayed by a plain script (one caller, backlog included)',
            `${same.calls} calls (${same.diverged} failed otherwise than recorded${same.diverged ? `, first: ${same.firstDivergence.slice(0, 200)}` : ''}): CPU per filing, script ${same.scriptCpuMs} ms, Redress ${same.redressCpuMs} ms (PGlite inside, backlog included): Redress at a core's limit files ${figures.ratio_to_same_statements} of what the script runs`,
          ]);
        }
        const [serverEnv, , agentKey, next] = sameStatementsArgs ?? [];
        const samePostgres =
          url && processes === 1 && serverEnv && agentKey && next
            ? await samePostgresStatements(serverEnv, url, agentKey, next, options.seconds).catch(
                (error: Error) => {
                  process.stderr.write(
                    `the same-statements replay did not run: ${error.message.slice(0, 300)}\n`,
                  );
                  return null;
                },
              )
            : null;
        if (samePostgres) {
          const { redress, script } = samePostgres;
          figures.postgres_same_statements = samePostgres;
          rows.push([
            'PostgreSQL, the same statements replayed through pg by a plain script (one caller, backlog included)',
            `${samePostgres.statements} statements (${samePostgres.relaxed} waits relaxed, ${samePostgres.diverged} failed otherwise than recorded${samePostgres.diverged ? `, first: ${samePostgres.firstDivergence.slice(0, 200)}` : ''}): CPU per filing, Node: Redress ${redress.nodeMs} ms, script ${script.nodeMs} ms (Redress's own ${Math.round((redress.nodeMs - script.nodeMs) * 10) / 10} ms); PostgreSQL: Redress's ${redress.postgresMs} ms, the script's ${script.postgresMs} ms`,
          ]);
        }
        if (!url) {
          const ceiling = await rawPgliteCeiling(dataDir, options.seconds);
          figures.raw_pglite_tps = ceiling;
          figures.ratio_to_raw_pglite = shareOfCeiling(figures, 'pglite_1p_c', ceiling);
          rows.push([
            'raw PGlite script, same writes as one filing, one client, same run',
            `${ceiling} transactions/s; Redress best sustained on PGlite = ${figures.ratio_to_raw_pglite} of it`,
          ]);
        }
        rmSync(dataDir, { recursive: true, force: true });
        if (url) {
          const ceiling = processes === 1 ? await pgbenchCeiling(url, 8, options.seconds) : null;
          if (ceiling) {
            figures.pgbench_tps = ceiling.tps;
            figures.pgbench_postgres_ms_per_transaction = ceiling.postgresMsPerTransaction;
            figures.ratio_to_pgbench = shareOfCeiling(figures, 'postgres_1p_c', ceiling.tps);
            rows.push([
              'pgbench, same writes as one filing, 8 clients',
              `${ceiling.tps} tps, PostgreSQL CPU ${ceiling.postgresMsPerTransaction} ms per transaction; Redress best sustained (1 process) = ${figures.ratio_to_pgbench} of it`,
            ]);
          }
        }
        await db.dispose().catch(() => undefined);
      }
    }
  }
  if (repeatedNarratives)
    rows.push([
      'narratives',
      `${repeatedNarratives} claims reused a report's words (${NARRATIVES.length} reports)`,
    ]);
  else
    rows.push(['narratives', `every claim in its own words (${NARRATIVES.length} real reports available)`]);
  report('intake', { serverUrl: SERVER_URL.replace(/\/\/[^@]*@/, '//'), ...figures }, rows);
}
