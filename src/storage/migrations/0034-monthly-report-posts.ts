import type { Migration } from './index.js';

/**
 * monthly_report_posts: one row per month (YYYY-MM, in TIMEZONE) whose monthly report reached staff. The monthly
 * job posts every month after the last one recorded (jobs/monthly-report.ts), so a run that failed (Slack down or
 * 429 at 09:00 on the 1st) is made up by its retry, a restart or the next month's run, and a month is posted once.
 * Not seeded: the first run after the upgrade posts last month only, as before.
 */
export const m0034MonthlyReportPosts: Migration = {
  id: 34,
  name: 'monthly-report-posts',
  up: `
CREATE TABLE monthly_report_posts (
  month TEXT PRIMARY KEY,
  posted_at TEXT NOT NULL
);
`,
};
