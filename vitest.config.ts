import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each PGlite instance is a few hundred MB; two workers fit the 2-core machine.
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
