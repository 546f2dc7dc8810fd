import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: a single worker on CI's 2 cores, which leaves the
    // second core idle while a test waits on a child process, the browser or PostgreSQL. Every test file makes
    // its own temporary folders, ports and (on PostgreSQL) schemas, so files run side by side safely.
    maxWorkers: 2,
    setupFiles: ['tests/helpers/fast-check-seed.ts'],
  },
});
