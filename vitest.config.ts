import { defineConfig } from 'vitest/config';

// chDB binds one data directory to a process, so every test file runs in its
// own forked process and makes its own data directory.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
