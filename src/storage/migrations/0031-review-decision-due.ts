import type { Migration } from './index.js';

/**
 * The reviewing body's own limit (《信访条例》第三十四条、第三十五条: the 复查 / 复核意见 is due within 30 日 of
 * receiving the request), tracked from the day staff learn a request was made, before any decision exists:
 *  - decision_due: the last day for the 复查 / 复核意见 (request day + the rule's `review.answer` calendar days,
 *    次日 convention, moved off a rest day), stored like window_end so the record shows what the bureau relied on;
 *    null for repeat complaints and for entries recorded before this migration;
 *  - decides_id: on a decision entry, the pending entry (outcome 待决定) it answers. case_reviews stays
 *    append-only: a pending request is never changed, its decision is a second row pointing at it.
 */
export const m0031ReviewDecisionDue: Migration = {
  id: 31,
  name: 'review-decision-due',
  up: `
ALTER TABLE case_reviews ADD COLUMN decision_due TEXT;
ALTER TABLE case_reviews ADD COLUMN decides_id INTEGER;
CREATE INDEX case_reviews_decides ON case_reviews (decides_id);
`,
};
