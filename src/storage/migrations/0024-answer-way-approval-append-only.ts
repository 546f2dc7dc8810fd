import type { Migration } from './index.js';

/**
 * What a bureau must be able to show a reviewer (issue: case handling a bureau must defend):
 *  - case_events.via: how an answer reached a citizen the bot cannot write to (phone, letter, 民心网 cases):
 *    电话 / 书面 / 当面 / 民心网. Null for answers the bot delivered itself.
 *  - cases.extension_approved_by: who approved the one extension (《政府信息公开条例》第三十三条
 *    "经政府信息公开工作机构负责人同意"; 《信访条例》第三十三条 "经本行政机关负责人批准").
 *  - audit_log is append-only; case_events rows are never deleted, and only their note may be cleared
 *    (retention / erasure of personal data, retention-repo.ts): any other change is refused by the database.
 */
export const m0024AnswerWayApprovalAppendOnly: Migration = {
  id: 24,
  name: 'answer-way-approval-append-only',
  up: `
ALTER TABLE case_events ADD COLUMN via TEXT;
ALTER TABLE cases ADD COLUMN extension_approved_by TEXT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: its rows cannot be changed'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: its rows cannot be deleted'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only: its rows cannot be deleted'); END;
CREATE TRIGGER case_events_only_erase BEFORE UPDATE ON case_events
WHEN NEW.note IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.case_id IS NOT OLD.case_id OR NEW.at IS NOT OLD.at
  OR NEW.actor IS NOT OLD.actor OR NEW.kind IS NOT OLD.kind OR NEW.from_state IS NOT OLD.from_state
  OR NEW.to_state IS NOT OLD.to_state OR NEW.via IS NOT OLD.via
BEGIN SELECT RAISE(ABORT, 'case_events is append-only: only a note may be erased'); END;
`,
  postgres: `
ALTER TABLE case_events ADD COLUMN via TEXT;
ALTER TABLE cases ADD COLUMN extension_approved_by TEXT;
CREATE FUNCTION civicdesk_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- Nested: NEW has case_events' fields only when the row is one (plpgsql does not short-circuit AND).
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'case_events' THEN
    IF NEW.note IS NULL
       AND NEW.id = OLD.id AND NEW.case_id = OLD.case_id AND NEW.at = OLD.at AND NEW.actor = OLD.actor AND NEW.kind = OLD.kind
       AND NEW.from_state IS NOT DISTINCT FROM OLD.from_state AND NEW.to_state IS NOT DISTINCT FROM OLD.to_state
       AND NEW.via IS NOT DISTINCT FROM OLD.via THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$fn$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION civicdesk_append_only();
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events FOR EACH ROW EXECUTE FUNCTION civicdesk_append_only();
`,
};
