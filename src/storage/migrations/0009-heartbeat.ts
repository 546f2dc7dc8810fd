import type { Migration } from './index.js';

// One row per instance, rewritten by every /healthz check: a real write, so the
// check fails while the database refuses writes (read-only files, full disk).
// Superseded by `instances` (0013), which /healthz now writes: unused since then,
// kept so the previous version passes its health check during a rolling upgrade;
// a later release drops it (never edit a shipped migration).
export const m0009Heartbeat: Migration = {
  id: 9,
  name: 'heartbeat',
  up: `
CREATE TABLE heartbeat (
  instance TEXT PRIMARY KEY,
  at TEXT NOT NULL                 -- ISO-8601 UTC of the last successful check
);
`,
};
