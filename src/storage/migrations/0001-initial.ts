import type { Migration } from './index.js';

// Times are ISO-8601 UTC strings; calendar dates (deadlines, publication dates) are YYYY-MM-DD in TIMEZONE.
export const m0001Initial: Migration = {
  id: 1,
  name: 'initial',
  up: `
CREATE TABLE conversations (
  channel TEXT NOT NULL,
  chat_id TEXT NOT NULL,
  user_id TEXT,
  locale TEXT,
  state_json TEXT NOT NULL DEFAULT '{}',
  updated_at TEXT NOT NULL,
  PRIMARY KEY (channel, chat_id)
);

-- Every citizen message the engine decided on: feeds the unanswered queue and the monthly counts.
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  chat_id TEXT NOT NULL,
  text TEXT,                       -- nulled by retention-purge
  intent TEXT NOT NULL,
  answered INTEGER NOT NULL,       -- 1 when a knowledge answer was given
  confident INTEGER NOT NULL DEFAULT 0,
  entry_id TEXT,
  section TEXT,
  score REAL,
  feedback INTEGER,                -- 1 helpful, 0 not helpful, NULL none
  case_id INTEGER REFERENCES cases(id),
  created_at TEXT NOT NULL
);
CREATE INDEX messages_created ON messages(created_at);
CREATE INDEX messages_chat ON messages(channel, chat_id, created_at);

CREATE TABLE case_counters (year INTEGER PRIMARY KEY, last INTEGER NOT NULL);

CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  channel TEXT NOT NULL,
  state TEXT NOT NULL,
  text TEXT NOT NULL,
  contact TEXT,
  citizen_name TEXT,
  chat_id TEXT,                    -- where the citizen can be answered (telegram/console), else NULL
  citizen_ref TEXT,                -- platform user id or an external reference (民心网 number)
  locale TEXT NOT NULL DEFAULT 'zh',
  assignee TEXT,
  handoff INTEGER NOT NULL DEFAULT 0,
  source_message_id INTEGER,
  received_at TEXT NOT NULL,
  claimed_at TEXT,
  deadline_on TEXT,                -- YYYY-MM-DD, last day to answer
  deadline_estimated INTEGER NOT NULL DEFAULT 0,
  extended INTEGER NOT NULL DEFAULT 0,
  extension_reason TEXT,
  replied_at TEXT,
  closed_at TEXT,
  close_note TEXT,
  unreachable INTEGER NOT NULL DEFAULT 0,
  disclosure_result TEXT,          -- 政府信息公开申请: leaf result row of annual table 三
  applicant_type TEXT,             -- 政府信息公开申请: 自然人 / 商业企业 / ...
  idempotency_key TEXT UNIQUE,
  anonymised_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX cases_state ON cases(state, deadline_on);
CREATE INDEX cases_chat ON cases(channel, chat_id, state);
CREATE INDEX cases_received ON cases(received_at);
CREATE INDEX cases_closed ON cases(closed_at);

CREATE TABLE case_events (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,             -- 'citizen', 'system', 'slack:U123', 'console'
  kind TEXT NOT NULL,              -- 'transition', 'followup', 'note', 'reply'
  from_state TEXT,
  to_state TEXT,
  note TEXT
);
CREATE INDEX case_events_case ON case_events(case_id, id);

CREATE TABLE ratings (
  case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
  scale TEXT NOT NULL,             -- 'stars5' (bot) or 'minxin' (民心网 star levels)
  value INTEGER,                   -- NULL when declined / not rated
  label TEXT NOT NULL,
  declined INTEGER NOT NULL DEFAULT 0,
  rated_at TEXT NOT NULL
);

CREATE TABLE disclosures (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  category TEXT NOT NULL,
  channel TEXT NOT NULL,
  published_on TEXT NOT NULL,
  url TEXT,
  created_by TEXT,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX disclosures_url ON disclosures(url) WHERE url IS NOT NULL;
CREATE UNIQUE INDEX disclosures_title_date ON disclosures(title, published_on);
CREATE INDEX disclosures_published ON disclosures(published_on);

CREATE TABLE job_runs (
  id INTEGER PRIMARY KEY,
  job TEXT NOT NULL,
  scheduled_for TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL,            -- 'running', 'ok', 'failed'
  lease_owner TEXT,
  lease_until TEXT,
  error TEXT,
  UNIQUE (job, scheduled_for)
);

-- Durable outgoing messages: written in the same transaction as the change they report.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  target TEXT NOT NULL,            -- 'telegram', 'console', 'slack'
  address TEXT NOT NULL,           -- chat id / channel id
  payload TEXT NOT NULL,           -- JSON
  case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,
  dedupe_key TEXT UNIQUE,
  state TEXT NOT NULL DEFAULT 'pending', -- 'pending', 'sending', 'sent', 'dead'
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL,
  sent_at TEXT
);
CREATE INDEX outbox_pending ON outbox(target, state, next_attempt_at, id);

-- Who did what: staff actions, full-detail views, deletions.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT,
  detail TEXT
);
CREATE INDEX audit_at ON audit_log(at);

-- Inbound idempotency: Telegram update_id, Slack event_id / action ids.
CREATE TABLE processed_inbound (
  source TEXT NOT NULL,
  key TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (source, key)
);
`,
};
