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
    globalSetup: ['test/support/kafka-global-setup.ts'],
    maxWorkers: 2,
    // CI asks for a machine-readable summary as well as the usual output.
    reporters: process.env.SPANLENS_VITEST_JSON ? ['default', 'json'] : ['default'],
    outputFile: process.env.SPANLENS_VITEST_JSON ? { json: process.env.SPANLENS_VITEST_JSON } : undefined,
  },
});
