import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One real PostgreSQL and one Temporal dev server for the whole run (test/support/global-setup.ts).
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/quiet-logs.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Forks, one file at a time: the time-skipping server's clock is global to its environment,
    // and two cores are better spent on the servers than on parallel test files.
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
