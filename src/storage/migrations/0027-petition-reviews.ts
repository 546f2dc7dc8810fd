import type { Migration } from './index.js';

/**
 * 信访 复查 / 复核 (《信访条例》第三十四条、第三十五条) recorded against one of the bureau's closed 信访 cases:
 *  - level: review (复查, by the superior body) | recheck (复核, by the 复查机关's superior) | repeat (the same
 *    complaint again after 复核: 不再受理);
 *  - body: who decided (or, for repeat, where the complaint was raised); requested_on: when the petitioner asked;
 *    decided_on: the date of the 复查/复核意见 (null for repeat); received_on: when the bureau received it;
 *  - outcome: 维持 | 撤销 | 变更 | 不予受理, or 不再受理 for repeat;
 *  - window_from / window_end / in_time: the 30-day request limit the desk checked (from the written reply, or
 *    the 复查意见, to the last day moved off a rest day) and whether the request fell within it. Stored, not only
 *    computed, so the record shows what the bureau relied on even after the rules or calendar change;
 *  - event_id: the case_events row ('review') carrying staff's note, so the case history and audit show it.
 * Structured public data only (body names, dates, outcome): staff's free text stays in the event note, which
 * retention and erasure clear. Append-only like case_events and audit_log: a wrong entry is corrected by a
 * note, never changed.
 */
/** Portable: the PostgreSQL store translates the types (pg-sql.ts ddlToPostgres: identity id, BIGINT, TEXT COLLATE "C"). */
const TABLE = `
CREATE TABLE case_reviews (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  event_id INTEGER NOT NULL REFERENCES case_events(id),
  level TEXT NOT NULL,
  body TEXT NOT NULL,
  requested_on TEXT NOT NULL,
  decided_on TEXT,
  received_on TEXT NOT NULL,
  outcome TEXT NOT NULL,
  window_from TEXT NOT NULL,
  window_end TEXT NOT NULL,
  in_time INTEGER NOT NULL,
  actor TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX case_reviews_case ON case_reviews (case_id);
CREATE INDEX case_reviews_received ON case_reviews (received_on);
`;

export const m0027PetitionReviews: Migration = {
  id: 27,
  name: 'petition-reviews',
  up: `${TABLE}
CREATE TRIGGER case_reviews_no_update BEFORE UPDATE ON case_reviews
BEGIN SELECT RAISE(ABORT, 'case_reviews is append-only: its rows cannot be changed'); END;
CREATE TRIGGER case_reviews_no_delete BEFORE DELETE ON case_reviews
BEGIN SELECT RAISE(ABORT, 'case_reviews is append-only: its rows cannot be deleted'); END;
`,
  // civicdesk_append_only (migration 0024) refuses every UPDATE and DELETE of a table other than case_events.
  postgres: `${TABLE}
CREATE TRIGGER case_reviews_append_only BEFORE UPDATE OR DELETE ON case_reviews FOR EACH ROW EXECUTE FUNCTION civicdesk_append_only();
`,
};
