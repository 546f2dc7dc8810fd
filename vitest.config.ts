import { configDefaults, defineConfig } from 'vitest/config';
import { RetrainingFirstSequencer } from './tests/helpers/sequencer.js';

/**
 * Test files that must have the database server to themselves, run after all the others, one at a time.
 * erasure-on-disk.test.ts reads the PostgreSQL server's files after VACUUM FULL: a transaction snapshot
 * that any other session of the same database holds at that moment (every test schema lives in one database; another
 * worker's connection being set up) keeps the erased row versions in the rewritten table (reclaim then reports it
 * and keeps the table's mark), so the bytes would still be there.
 */
const ALONE = ['tests/faults/erasure-on-disk.test.ts'];

export default defineConfig({
  test: {
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
    globalSetup: ['tests/helpers/temp-root.ts'],
    // No settings file for the bot processes tests start: a developer's own .env must not reach them (src/app/env-file.ts).
    env: { ENV_FILE: '' },
    setupFiles: ['tests/helpers/fast-check-seed.ts'],
    projects: [
      { extends: true, test: { name: 'tests', include: ['tests/**/*.test.ts'], exclude: [...configDefaults.exclude, ...ALONE] } },
      { extends: true, test: { name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
