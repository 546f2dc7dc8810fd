import type { Migration } from './index.js';

/**
 * 信访 "自受理之日起60日内办结": open 信访 cases stored before the rule counted from 受理 (bounded by the 15-day
 * 受理告知 limit) still carry a 60-day deadline counted from receipt. The date needs the work calendar, the deadline
 * rules and the bureau's time zone, which SQL does not have, so this migration only queues the cases; the case desk
 * recomputes each queued deadline at start (desk-clock.ts reestimateDeadlines), records a `deadline` case event and an
 * audit row (`case.deadline`, reason migration-0042), and drops the queue row in the same transaction.
 *
 * Queued: type petition, not closed, not returned or withdrawn, not reopened (a reopened case counts from its
 * reopening), with a deadline, and with its 受理告知 recorded (acceptance_notice_at, since migration 0026). A case
 * without a recorded notice is left as it is: its 受理 day is not in the data (a notice given before 0026 was not
 * recorded), and the from-receipt deadline it has is the stricter one.
 */
export const m0042PetitionDeadlineRecompute: Migration = {
  id: 42,
  name: 'petition-deadline-recompute',
  up: `
CREATE TABLE deadline_recomputations (
  case_id INTEGER NOT NULL PRIMARY KEY REFERENCES cases(id),
  reason TEXT NOT NULL
);
INSERT INTO deadline_recomputations (case_id, reason)
  SELECT id, 'migration-0042: 信访 60 日 from 受理' FROM cases
  WHERE type = 'petition' AND closed_at IS NULL AND state NOT IN ('returned', 'withdrawn', 'reopened')
    AND deadline_on IS NOT NULL AND acceptance_notice_at IS NOT NULL;
`,
};
