import { defineConfig } from 'vitest/config';

/** Unit, crypto and route/use-case tests. Database: PGlite, or PostgreSQL when MZ_TEST_DB=postgres. */
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    globalSetup: ['packages/server/test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
