import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll gives up after 1 s by default: on a loaded CI machine a seller's dispute with a
    // file took longer to show in Chromium once ('awaiting seller' for 'under review'). What a poll
    // waits for is unchanged; it may wait up to 10 s for it.
    expect: { poll: { timeout: 10_000 } },
    // Each PGlite instance is a few hundred MB; two workers fit the 2-core machine.
    maxWorkers: 2,
    // Worker threads that keep their modules from one test file to the next: every file imports
    // the whole server (Kysely, Fastify, zod schemas, PGlite), which isolation would evaluate
    // again per file. Eight files on PGlite took 77 s of CPU in forked processes with isolation,
    // 58 s in threads with it and 46 s in threads without it (docs/performance.md). It holds
    // because no test mocks a module or relies on module state: each file builds its own world
    // (test/harness.ts) and closes it.
    pool: 'threads',
    isolate: false,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
