import type { Migration } from './index.js';

// Admins' decisions on groups of unanswered questions (kb gaps mark). Groups are
// recomputed from messages on every read; this table only remembers marks.
// `samples` (JSON array of normalised, masked wordings) lets a mark find its group
// again when the group's leading question changes.
export const m0006GapGroups: Migration = {
  id: 6,
  name: 'gap-groups',
  up: `
CREATE TABLE gap_groups (
  key TEXT PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('ignored', 'resolved')),
  entry_id TEXT,                   -- the entry that resolves the group
  resolved_at TEXT,                -- ISO-8601 UTC, set when status = 'resolved'
  samples TEXT NOT NULL DEFAULT '[]',
  marked_by TEXT NOT NULL,
  marked_at TEXT NOT NULL
);
CREATE INDEX gap_groups_status ON gap_groups(status, resolved_at);
`,
};
