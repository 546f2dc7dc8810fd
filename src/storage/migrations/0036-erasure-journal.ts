import type { Migration } from './index.js';

/**
 * erasure_journal: the erasure journal of a PostgreSQL database, one row per "删除我的数据" (erasure-journal.ts
 * ErasureEntry as JSON: the time, the channel, message row ids with their creation times, case codes with the time
 * received; nothing that names the parent). SQLite keeps its journal in a file beside the database, which a file
 * restore leaves alone; on PostgreSQL the table is written in the erase's transaction by whichever instance erased,
 * exported before a pg_restore (`db export-erasures`) and applied again after it (`db reapply-erasures`). Created on
 * SQLite too (one schema), where it stays empty.
 */
export const m0036ErasureJournal: Migration = {
  id: 36,
  name: 'erasure-journal',
  up: `
CREATE TABLE erasure_journal (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  entry TEXT NOT NULL
);
`,
};
