import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { createTimerRegistry, standardJobs } from '../app/runtime.ts';
import { buildServer } from '../app/server.ts';
import { ledgerOnlyProvider } from '../ledger/payment-provider.ts';
import { folderMailer } from '../notifications/mailer.ts';
import { LocalBlobStore } from '../platform/blobs/local-blob-store.ts';
import { systemClock } from '../platform/clock.ts';
import { openPglite } from '../platform/db/connect.ts';

/**
 * The OpenAPI document, from the same schemas that validate requests. The web app's typed client
 * is generated from it (`npm run api:types`), so the two cannot drift unnoticed.
 */
export async function openApiDocument(): Promise<unknown> {
  // Building the routes touches no data: an empty in-memory database serves.
  const handle = await openPglite({});
  try {
    const app = await buildServer(
      {
        db: handle.db,
        engine: handle.engine,
        clock: systemClock,
        blobs: new LocalBlobStore(join(tmpdir(), 'redress-openapi-blobs')),
        timers: createTimerRegistry(),
        log: pino({ level: 'silent' }) as unknown as FastifyBaseLogger,
        payments: ledgerOnlyProvider,
        jobs: standardJobs(),
        notifications: {
          webhooks: { allowPrivateTargets: false, timeoutMs: 1000 },
          mailer: folderMailer(join(tmpdir(), 'redress-openapi-mail')),
          nats: null,
        },
      },
      { testClock: null, demoSignIn: true },
    );
    await app.ready();
    const document = app.swagger();
    await app.close();
    return document;
  } finally {
    await handle.close();
  }
}

export function registerOpenApiCommand(program: Command): void {
  program
    .command('openapi')
    .description('Print the OpenAPI 3.1 document (as served at /openapi.json, demo routes included)')
    .option('--out <file>', 'write it to a file instead')
    .action(async (options: { out?: string }) => {
      const text = `${JSON.stringify(await openApiDocument(), null, 2)}\n`;
      if (options.out) writeFileSync(options.out, text);
      else process.stdout.write(text);
    });
}
