import type { Migration } from './index.js';

/**
 * 1. The reviewing body's own limit (《信访条例》第三十四条、第三十五条: the 复查 / 复核意见 is due within 30 日 of
 * receiving the request), tracked from the day staff learn a request was made, before any decision exists:
 *  - decision_due: the last day for the 复查 / 复核意见 (request day + the rule's `review.answer` calendar days,
 *    次日 convention, moved off a rest day), stored like window_end so the record shows what the bureau relied on;
 *    null for repeat complaints and for entries recorded before this migration;
 *  - decides_id: on a decision entry, the pending entry (outcome 待决定) it answers. case_reviews stays
 *    append-only: a pending request is never changed, its decision is a second row pointing at it.
 */
const REVIEW_COLUMNS = `
ALTER TABLE case_reviews ADD COLUMN decision_due TEXT;
ALTER TABLE case_reviews ADD COLUMN decides_id INTEGER;
CREATE INDEX case_reviews_decides ON case_reviews (decides_id);
`;

/**
 * disclosure_appeals: a 行政复议 / 行政诉讼 against the answer to one 政府信息公开申请 (《政府信息公开条例》第五十一条),
 * recorded against the request:
 *  - category: table 四's column (行政复议 | 未经复议直接起诉 | 复议后起诉); filed_on: when the bureau learned of it
 *    (the year it is counted in, as the register's 收到日期); outcome: 维持 | 纠正 | 其他 | 尚未审结; decided_on;
 *  - case_ref: the 复议 / 诉讼's 案号; event_id: the case_events row ('appeal') that shows it in the request's history.
 * Public-body data only (no applicant's data beyond the link to the case). Append-only: the decision, or a
 * correction, is a later row for the same request and category, and the latest row counts.
 */
const APPEALS = `
CREATE TABLE disclosure_appeals (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  event_id INTEGER NOT NULL REFERENCES case_events(id),
  category TEXT NOT NULL,
  filed_on TEXT NOT NULL,
  outcome TEXT NOT NULL,
  decided_on TEXT,
  case_ref TEXT,
  actor TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX disclosure_appeals_case ON disclosure_appeals (case_id);
CREATE INDEX disclosure_appeals_filed ON disclosure_appeals (filed_on);
`;

export const m0031ReviewDecisionDue: Migration = {
  id: 31,
  name: 'review-decision-due-and-disclosure-appeals',
  up: `${REVIEW_COLUMNS}${APPEALS}
CREATE TRIGGER disclosure_appeals_no_update BEFORE UPDATE ON disclosure_appeals
BEGIN SELECT RAISE(ABORT, 'disclosure_appeals is append-only: its rows cannot be changed'); END;
CREATE TRIGGER disclosure_appeals_no_delete BEFORE DELETE ON disclosure_appeals
BEGIN SELECT RAISE(ABORT, 'disclosure_appeals is append-only: its rows cannot be deleted'); END;
`,
  postgres: `${REVIEW_COLUMNS}${APPEALS}
CREATE TRIGGER disclosure_appeals_append_only BEFORE UPDATE OR DELETE ON disclosure_appeals FOR EACH ROW EXECUTE FUNCTION civicdesk_append_only();
`,
};
