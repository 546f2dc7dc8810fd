import type { Migration } from './index.js';

/**
 * 1. case_reviews.request_received_on: the day the reviewing body received the 复查 / 复核 request. The two limits
 *    of 《信访条例》第三十四条、第三十五条 count from different days: the petitioner's 30 日 to ask run from their
 *    receipt of the written reply to the day they asked (requested_on), while the body's 30 日 to decide run
 *    "自收到复查请求之日起" — from the body's receipt. A request posted on the last day reaches the body days
 *    later; decision_due is counted from this column. Null on entries before this migration: they were recorded
 *    with one day for both (requested_on), which stays their receipt day.
 *
 * 2. disclosure_appeals.appeal_id: which appeal a row belongs to. A row with appeal_id null starts an appeal; a
 *    later row that records its result (审结, 结果) or corrects it carries the first row's id, and only the latest
 *    row of each appeal counts (table 四). Two appeals of the same category against one request (a second
 *    复议 after the first was withdrawn, say) stay two. Rows recorded before this migration were grouped by
 *    request and category; they are given the appeal_id that grouping meant (the first row of their group), so
 *    no count changes. The append-only trigger is lifted for that one statement only.
 */
const COLUMNS = `
ALTER TABLE case_reviews ADD COLUMN request_received_on TEXT;
ALTER TABLE disclosure_appeals ADD COLUMN appeal_id INTEGER;
CREATE INDEX disclosure_appeals_appeal ON disclosure_appeals (appeal_id);
`;

const BACKFILL = `
UPDATE disclosure_appeals SET appeal_id = (
  SELECT MIN(e.id) FROM disclosure_appeals e
   WHERE e.case_id = disclosure_appeals.case_id AND e.category = disclosure_appeals.category AND e.id < disclosure_appeals.id
);
`;

export const m0032AppealIdentityAndReviewReceipt: Migration = {
  id: 32,
  name: 'appeal-identity-and-review-receipt',
  up: `${COLUMNS}
DROP TRIGGER disclosure_appeals_no_update;
${BACKFILL}
CREATE TRIGGER disclosure_appeals_no_update BEFORE UPDATE ON disclosure_appeals
BEGIN SELECT RAISE(ABORT, 'disclosure_appeals is append-only: its rows cannot be changed'); END;
`,
  postgres: `${COLUMNS}
ALTER TABLE disclosure_appeals DISABLE TRIGGER disclosure_appeals_append_only;
${BACKFILL}
ALTER TABLE disclosure_appeals ENABLE TRIGGER disclosure_appeals_append_only;
`,
};
