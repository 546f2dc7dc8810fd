import type { Migration } from './index.js';

// The web chat (/chat/): anonymous sessions and each session's transcript.
// A session's `id` is the chat id the engine and the cases see (channel 'web');
// the browser holds only a random token in an httpOnly cookie, stored here as
// its SHA-256 so a copy of the database cannot be replayed as a cookie.
// Bot lines reach web_messages from the outbox (target 'web'); `outbox_id` is
// unique with the reply's place in the row (`part`) so a row redelivered after a crash is not shown twice.
export const m0010WebChat: Migration = {
  id: 10,
  name: 'web-chat',
  up: `
CREATE TABLE web_sessions (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  notice_seen INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX web_sessions_expires ON web_sessions(expires_at);

CREATE TABLE web_messages (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('parent', 'bot')),
  payload TEXT NOT NULL,
  outbox_id INTEGER,
  part INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  UNIQUE (outbox_id, part)
);
CREATE INDEX web_messages_session ON web_messages(session_id, id);
`,
};
