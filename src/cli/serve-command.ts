import type { Command } from 'commander';
import { startRuntime } from '../app/runtime.ts';
import { buildServer } from '../app/server.ts';
import { DEMO_KEYS, seedDemo } from '../demo/seed-demo.ts';
import { wakePayoutsOnCommit } from '../ledger/payout-wake.ts';
import { startImportWorker } from '../marketplace/import/import-worker.ts';
import { runAllDue } from '../platform/jobs.ts';
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
      '--metrics-port <port>',
      'also serve /metrics, without a key, on this port (off by default)',
      parsePort,
    )
    .action(async (options: { demo?: boolean; worker: boolean; metricsPort?: number }) => {
      const config = configOrExit();
      const runtime = await startRuntime(config, undefined, { demo: options.demo ?? false });
      const { ctx } = runtime;
      const monitor = options.worker ? new WorkerMonitor(config.workerIntervalMs) : null;
      if (monitor) ctx.worker = monitor;
      if (options.demo) await seedDemo(ctx);
      // Before the server takes requests: on PGlite, LISTEN must not run inside a request's transaction.
      const payoutWake = options.worker ? await wakePayoutsOnCommit(ctx, runtime.handle) : null;
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

      let stopping = false;
      let workerRun: Promise<unknown> = Promise.resolve();
      let busy = false;
      const tick = () => {
        if (stopping || busy) return;
        busy = true;
        monitor?.beat();
        // A failed pass (the database restarting, say) is logged and the next tick tries again.
        workerRun = runAllDue(ctx)
          .catch((error) => ctx.log.error({ err: error }, 'background worker failed'))
          .finally(() => {
            busy = false;
            monitor?.beat();
          });
      };
      const worker = options.worker ? setInterval(tick, config.workerIntervalMs) : null;
      // Import jobs run beside the deadline worker, not inside its passes: a long feed never delays a payout.
      const imports = options.worker ? startImportWorker(ctx, { owner: `serve-${process.pid}` }) : null;

      if (options.demo) printDemo(address, ctx.engine, config.dataDir);
      ctx.log.info({ address, engine: ctx.engine, testClock: config.testClock }, 'redress is serving');

      // Graceful stop: refuse new connections, let in-flight requests and the current worker
      // pass finish, then close the database. A second signal forces the exit.
      const shutdown = async (signal: string) => {
        if (stopping) process.exit(1);
        stopping = true;
        ctx.log.info({ signal }, 'shutting down');
        if (worker) clearInterval(worker);
        await payoutWake?.stop();
        monitor?.stopped();
        await app.close();
        await metricsServer?.close();
        await workerRun;
        await imports?.stop();
        await runtime.close();
        process.exit(0);
      };
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
      process.on('SIGINT', () => void shutdown('SIGINT'));
    });
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
