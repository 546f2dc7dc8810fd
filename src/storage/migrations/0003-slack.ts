import type { Migration } from './index.js';

// The Slack staff desk: which staff-channel message shows which case, so it can be
// updated in place (chat.update) and its thread used as the case history.
// Inbound idempotency (event_id, action_ts) reuses processed_inbound with source 'slack'.
export const m0003Slack: Migration = {
  id: 3,
  name: 'slack',
  up: `
CREATE TABLE slack_case_messages (
  case_code TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  ts TEXT NOT NULL,
  posted_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (channel, ts)
);
`,
};
