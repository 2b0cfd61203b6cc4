import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure, crypto and route/use-case tests on a real database: PGlite,
 * or PostgreSQL with MZ_TEST_DB=postgres) and `e2e` (browser flows in headless Chromium
 * against a running platform at E2E_BASE_URL; started by scripts/test.mjs).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts'],
          globalSetup: ['packages/server/test/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 2,
          // files share their worker's modules: importing the server again for each file cost ≈ 2.7 s
          // a file (code keeps per-app state in WeakMaps keyed by the app's database or deps, not in modules)
          isolate: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['packages/web/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 1,
          fileParallelism: false,
          // one worker runs every file: they share its modules, and so the harness's one Chromium
          isolate: false,
          // a page under load (the platform, Chromium and the test share two cores) may take
          // longer than vitest's default second to show what a poll waits for
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
