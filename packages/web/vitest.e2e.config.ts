import { defineConfig } from 'vitest/config';

// Browser flows against a running server: E2E_BASE_URL=http://127.0.0.1:8080 npm run test:e2e -w @mianzheng/web
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['e2e/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
