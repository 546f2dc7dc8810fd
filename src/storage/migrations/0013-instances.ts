import type { Migration } from './index.js';

// Several instances on one database (PostgreSQL): which instances are alive (a heartbeat),
// and which instance is sending an outbox row, so a live instance never resends another's
// row and a dead instance's rows are taken over.
export const m0013Instances: Migration = {
  id: 13,
  name: 'instances',
  up: `
CREATE TABLE instances (
  id TEXT PRIMARY KEY,
  started_at TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL
);
-- The instance that moved the row to 'sending' (NULL: claimed by a version before this one).
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
`,
};
