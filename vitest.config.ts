import { defineConfig } from 'vitest/config';
import { RetrainingFirstSequencer } from './tests/helpers/sequencer.js';

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
    // A worker keeps its loaded modules from one test file to the next instead of starting afresh for each: the
    // import of the engine, jieba's tables and the channels was ~40 % of the SQLite stage's wall time. Test files
    // share no state through modules: each makes its own databases, folders, ports, clocks and config.
    isolate: false,
    sequence: { sequencer: RetrainingFirstSequencer },
    setupFiles: ['tests/helpers/fast-check-seed.ts'],
  },
});
