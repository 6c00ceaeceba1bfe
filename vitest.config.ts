import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // PGlite's first open of a data dir runs initdb (seconds); DB suites share one instance per file.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: keep file parallelism modest so real Postgres and PGlite suites don't starve each other.
    maxWorkers: 2,
  },
});
