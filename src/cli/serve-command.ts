import type { Command } from 'commander';
import { DEMO_KEYS, seedDemo } from '../demo/seed-demo.ts';
import { buildServer } from '../platform/http/server.ts';
import { runAllDue } from '../platform/jobs.ts';
import { startRuntime } from '../platform/runtime.ts';
import { configOrExit } from './config-or-exit.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Start the HTTP server and the deadline worker (migrates the database first)')
    .option('--demo', 'seed the demo marketplace if missing and print demo keys and URLs')
    .option('--no-worker', 'serve HTTP only; run the deadline worker in other processes')
    .action(async (options: { demo?: boolean; worker: boolean }) => {
      const config = configOrExit();
      const runtime = await startRuntime(config);
      const { ctx } = runtime;
      if (options.demo) await seedDemo(ctx);
      const app = await buildServer(ctx, {
        testClock: runtime.testClock,
        loggerInstance: ctx.log,
        demoSignIn: options.demo ?? false,
        rateLimits: config.rateLimits,
        trustProxy: config.trustProxy,
      });
      const address = await app.listen({ port: config.port, host: config.host });

      let stopping = false;
      let workerRun: Promise<unknown> = Promise.resolve();
      let busy = false;
      const tick = () => {
        if (stopping || busy) return;
        busy = true;
        workerRun = runAllDue(ctx)
          .catch((error) => ctx.log.error({ err: error }, 'background worker failed'))
          .finally(() => {
            busy = false;
          });
      };
      const worker = options.worker ? setInterval(tick, config.workerIntervalMs) : null;

      if (options.demo) printDemo(address, ctx.engine, config.dataDir);
      ctx.log.info({ address, engine: ctx.engine, testClock: config.testClock }, 'redress is serving');

      // Graceful stop: refuse new connections, let in-flight requests and the current worker
      // pass finish, then close the database. A second signal forces the exit.
      const shutdown = async (signal: string) => {
        if (stopping) process.exit(1);
        stopping = true;
        ctx.log.info({ signal }, 'shutting down');
        if (worker) clearInterval(worker);
        await app.close();
        await workerRun;
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
