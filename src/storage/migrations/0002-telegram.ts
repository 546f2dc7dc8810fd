import type { Migration } from './index.js';

// Telegram channel: outbox progress for replies split into several messages, the
// per-chat ordering index the sender's head-of-line query needs, the map from a
// bot message to the case it was about (reply-to → case), and long button payloads.
export const m0002Telegram: Migration = {
  id: 2,
  name: 'telegram',
  up: `
-- How many rendered messages of this row were already delivered (a long answer becomes several).
ALTER TABLE outbox ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;
-- Head-of-line lookup per chat: the oldest unfinished row of each address.
CREATE INDEX outbox_address ON outbox(target, address, state, id);

-- A bot message that carried a case code, so a citizen's reply to it reaches that case.
CREATE TABLE telegram_message_cases (
  chat_id TEXT NOT NULL,
  message_id INTEGER NOT NULL,
  case_code TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX telegram_message_cases_created ON telegram_message_cases(created_at);

-- Button payloads too long for 64 bytes of callback_data: the button carries the token only.
CREATE TABLE telegram_callbacks (
  token TEXT PRIMARY KEY,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX telegram_callbacks_created ON telegram_callbacks(created_at);
`,
};
