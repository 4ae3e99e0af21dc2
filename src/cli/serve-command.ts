import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { type Command, InvalidArgumentError } from 'commander';
import { type Runtime, startRuntime } from '../app/runtime.ts';
import { buildServer } from '../app/server.ts';
import { DEMO_KEYS, seedDemo } from '../demo/seed-demo.ts';
import { wakePayoutsOnCommit } from '../ledger/payout-wake.ts';
import { startImportWorker } from '../marketplace/import/import-worker.ts';
import type { Config } from '../platform/config.ts';
import type { AppContext } from '../platform/context.ts';
import { electWorkerLeader } from '../platform/db/worker-leader.ts';
import { startJobLanes } from '../platform/jobs.ts';
import { createMetrics } from '../platform/metrics/metrics.ts';
import { startMetricsServer } from '../platform/metrics/metrics-routes.ts';
import { WorkerMonitor } from '../platform/worker-monitor.ts';
import { configOrExit, parsePort } from './config-or-exit.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Start the HTTP server and the deadline worker (migrates the database first)')
    .option('--demo', 'seed the demo marketplace if missing and print demo keys and URLs')
    .option('--no-worker', 'serve HTTP only; run the deadline worker in other processes')
    .option(
      '--processes <n>',
      'HTTP processes sharing the port, or "auto" for one per core (needs DATABASE_URL; ' +
        'default: auto with NODE_ENV=production and DATABASE_URL, else 1)',
      parseProcesses,
    )
    .option(
      '--metrics-port <port>',
      'also serve /metrics, without a key, on this port (off by default)',
      parsePort,
    )
    .action(async (options: ServeOptions) => {
      const config = configOrExit();
      const processes = options.processes ?? defaultProcesses(config);
      if (cluster.isWorker) return serveOneProcess(config, options, { clustered: true });
      if (processes === 1) return serveOneProcess(config, options, { clustered: false });
      if (!config.databaseUrl) {
        process.stderr.write(
          '--processes above 1 needs DATABASE_URL: PGlite is embedded in one process and cannot be shared.\n',
        );
        process.exit(2);
      }
      if (options.metricsPort !== undefined) {
        process.stderr.write(
          '--metrics-port serves one process; with --processes above 1 read /metrics per process.\n',
        );
        process.exit(2);
      }
      await servePrimary(config, options, processes);
    });
}

interface ServeOptions {
  demo?: boolean;
  worker: boolean;
  metricsPort?: number;
  processes?: number;
}

function parseProcesses(value: string): number {
  if (value === 'auto') return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('must be "auto" or 1 to 64');
  return n;
}

/** Production on a database server uses the cores; a laptop, the embedded database and tests use one process. */
const defaultProcesses = (config: Config) =>
  config.production && config.databaseUrl ? availableParallelism() : 1;

/**
 * The primary of `serve --processes N`: migrates and seeds once, then forks N HTTP processes that
 * share the port (node:cluster hands connections round-robin), replaces one that dies, and stops
 * them all on SIGTERM. It serves nothing itself.
 */
async function servePrimary(config: Config, options: ServeOptions, processes: number): Promise<void> {
  const runtime = await startRuntime(config, undefined, { demo: options.demo ?? false });
  if (options.demo) await seedDemo(runtime.ctx);
  const log = runtime.ctx.log;
  await runtime.close();

  let stopping = false;
  let announced = false;
  const fork = () => cluster.fork();
  cluster.on('listening', (_worker, address) => {
    if (announced) return;
    announced = true;
    const url = `http://${address.address ?? config.host}:${address.port}`;
    if (options.demo) printDemo(url, 'postgres', config.dataDir);
    log.info({ address: url, processes }, 'redress is serving');
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    log.warn({ pid: worker.process.pid, code, signal }, 'a server process ended; starting another');
    setTimeout(fork, 1000).unref();
  });
  for (let i = 0; i < processes; i++) fork();

  const shutdown = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'shutting down every server process');
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM');
          }),
      ),
    );
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/**
 * One HTTP process. Alone, it runs the background workers itself (unless `--no-worker`); as one of
 * several (`clustered`), it runs them only while it holds the worker-leader lock
 * (`platform/db/worker-leader.ts`), so exactly one process polls the queues and another takes
 * over within a second when the leader dies.
 */
async function serveOneProcess(
  config: Config,
  options: ServeOptions,
  { clustered }: { clustered: boolean },
): Promise<void> {
  const runtime = await startRuntime(config, undefined, { demo: options.demo ?? false });
  const { ctx } = runtime;
  // A clustered process reports a worker to /readyz only while it leads.
  const monitor = options.worker && !clustered ? new WorkerMonitor(config.workerIntervalMs) : null;
  if (monitor) ctx.worker = monitor;
  // The primary seeds the demo once when clustered.
  if (options.demo && !clustered) await seedDemo(ctx);
  // Before the server takes requests: on PGlite, LISTEN must not run inside a request's transaction.
  const alone = options.worker && !clustered ? await startBackground(ctx, runtime, config) : null;
  const metrics = createMetrics(ctx, { token: config.metricsToken });
  const app = await buildServer(ctx, {
    testClock: runtime.testClock,
    loggerInstance: ctx.log,
    demoSignIn: options.demo ?? false,
    metrics,
    rateLimits: config.rateLimits,
    trustProxy: config.trustProxy,
  });
  const address = await app.listen({ port: config.port, host: config.host });
  const metricsServer =
    options.metricsPort === undefined
      ? null
      : await startMetricsServer(metrics, { port: options.metricsPort, host: config.host });

  let led: Promise<Background> | null = null;
  const leadership =
    clustered && options.worker && config.databaseUrl
      ? electWorkerLeader(config.databaseUrl, {
          onLead: () => {
            ctx.log.info('this process leads the background workers');
            ctx.worker = new WorkerMonitor(config.workerIntervalMs);
            led = startBackground(ctx, runtime, config);
          },
          onLose: async () => {
            ctx.log.warn('this process no longer leads the background workers');
            const background = led;
            led = null;
            ctx.worker?.stopped();
            delete ctx.worker;
            await (await background)?.stop();
          },
          onError: (error) => ctx.log.warn({ err: error }, 'worker-leader election'),
        })
      : null;

  if (options.demo && !clustered) printDemo(address, ctx.engine, config.dataDir);
  if (!clustered)
    ctx.log.info({ address, engine: ctx.engine, testClock: config.testClock }, 'redress is serving');

  // Graceful stop: refuse new connections, let in-flight requests and the current worker
  // pass finish, then close the database. A second signal forces the exit.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    ctx.log.info({ signal }, 'shutting down');
    monitor?.stopped();
    await leadership?.stop();
    await alone?.stop();
    await app.close();
    await metricsServer?.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // A clustered process whose primary is gone (killed outright) must not live on as an orphan.
  if (clustered) process.on('disconnect', () => void shutdown('primary gone'));
}

interface Background {
  stop(): Promise<void>;
}

/** The deadline/payout/outbox passes, the payout wake-up and the import worker of one process. */
async function startBackground(ctx: AppContext, runtime: Runtime, config: Config): Promise<Background> {
  const monitor = ctx.worker ?? null;
  const payoutWake = await wakePayoutsOnCommit(ctx, runtime.handle, { leaseMs: config.payoutLeaseMs });
  // A failed turn (the database restarting, say) is logged and the next tick tries again.
  const lanes = startJobLanes(ctx, {
    intervalMs: config.workerIntervalMs,
    onTurn: (job, phase) => (phase === 'start' ? monitor?.turnStarted(job) : monitor?.turnEnded(job)),
    onError: (job, error) => ctx.log.error({ err: error, job }, 'background worker failed'),
  });
  // Import jobs run beside the deadline worker, not inside its passes: a long feed never delays a payout.
  const imports = startImportWorker(ctx, { owner: `serve-${process.pid}` });
  return {
    stop: async () => {
      await lanes.stop();
      await payoutWake.stop();
      await imports.stop();
    },
  };
}

/**
 * Browsers treat "localhost" as a secure origin even over http, so the app's Secure session
 * cookie sticks there; a numeric loopback address may not.
 */
const browserAddress = (address: string) => address.replace('://127.0.0.1', '://localhost');

function printDemo(address: string, engine: string, dataDir: string): void {
  const lines = [
    '',
    `Redress demo is running on ${address} (${engine}${engine === 'pglite' ? `, data in ${dataDir}` : ''})`,
    '',
    `  Web app       ${browserAddress(address)}/app/   (one-click demo sign-in for each role on its first page)`,
    `  API docs      ${address}/docs`,
    `  OpenAPI       ${address}/openapi.json`,
    `  Health        ${address}/healthz   ${address}/readyz`,
    '',
    'Demo API keys (send as "Authorization: Bearer <key>"):',
    ...DEMO_KEYS.map((k) => `  ${k.role.padEnd(9)} ${k.secret}   ${k.who}`),
    '',
    'Try:',
    `  curl -H "Authorization: Bearer ${DEMO_KEYS[2]?.secret}" ${address}/v1/claims`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
