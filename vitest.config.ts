import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: keep file parallelism modest so the database server and the suites don't starve each other.
    maxWorkers: 2,
    projects: [
      // The pure core: no database, so no server to start (`vitest run tests/unit` on other Node versions).
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/unit/**'],
          // The run's PostgreSQL server and the template every test database is cloned from.
          globalSetup: ['tests/global-setup.ts'],
        },
      },
    ],
  },
});
