import type { Migration } from './index.js';

/**
 * Scheduled jobs and reports: reminders sent once, and covering indexes so the
 * monthly report (1,000,000 cases / disclosures) and the daily digest stay fast.
 */
export const m0004Jobs: Migration = {
  id: 4,
  name: 'jobs',
  up: `
-- One row per reminder ever sent: (kind, case, key) is claimed before posting, so a restart never repeats it.
-- kind: 'due' (key = deadline), 'overdue' (key = working day), 'unclaimed' (key = '').
CREATE TABLE reminders_sent (
  kind TEXT NOT NULL,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  sent_at TEXT NOT NULL,
  PRIMARY KEY (kind, case_id, key)
);

-- Monthly report. Counts are taken per (channel, type) / (category, channel) / (label, declined) pair with a
-- range on the period column, so each is an index-only range count instead of a GROUP BY sort over the period.
CREATE INDEX cases_channel_type_received ON cases(channel, type, received_at, closed_at, deadline_on, state);
CREATE INDEX cases_closed_cover ON cases(closed_at, received_at);
CREATE INDEX cases_unreachable_received ON cases(unreachable, state, received_at);
CREATE INDEX disclosures_category_channel ON disclosures(category, channel, published_on);
CREATE INDEX ratings_label_rated ON ratings(label, declined, rated_at);
CREATE INDEX messages_created_cover ON messages(created_at, answered, feedback);

-- Daily digest: open cases by assignee, and the last run of a job.
CREATE INDEX cases_open_assignee ON cases(state, assignee);
CREATE INDEX job_runs_job_status ON job_runs(job, status, scheduled_for);
`,
};
