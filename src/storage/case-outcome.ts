import type { Db } from './db.js';
import { shiftedDate } from './sql-fragments.js';

/**
 * The one definition of a case's outcome that the monthly report (report-queries.ts) and the annual report
 * (annual-report-repo.ts) both use, so the two never judge the same case differently.
 *
 *   onTime       closed (办结), and answered on or before deadline_on (local day)
 *   late         closed, answered after deadline_on
 *   ended        not closed and final: 退单 (returned) or 撤回 (withdrawn): not judged
 *   openOverdue  still open (联系不上 included: it is an open state, the limit still runs) past deadline_on
 *   open         still open, deadline not passed
 *
 * "Answered" is the closing for every limit that is a 办结 limit (12345 types, 信访: "60日内办结"), and the reply
 * for a 政府信息公开申请 (第三十三条 "予以答复"; a reply given on time and closed later is on time).
 */
export const ENDED_STATES = `'returned', 'withdrawn'`;

/** The instant a case's limit is judged by (see above); null while not answered. */
const JUDGED_AT = `CASE WHEN type = 'disclosure' THEN COALESCE(replied_at, closed_at) ELSE closed_at END`;

export type CaseOutcome = 'onTime' | 'late' | 'open' | 'openOverdue' | 'ended';
export const CASE_OUTCOMES: readonly CaseOutcome[] = ['onTime', 'late', 'open', 'openOverdue', 'ended'];

/**
 * SQL for the outcome of the `cases` row in scope, with its parameters in order: `offset` turns stored instants
 * into local dates ('+480 minutes'), `today` is the local date an open case is judged on.
 */
export function caseOutcomeSql(db: Db, offset: string, today: string): { sql: string; params: string[] } {
  const judgedOn = shiftedDate(db, JUDGED_AT, '?');
  return {
    sql: `CASE
      WHEN closed_at IS NOT NULL THEN CASE WHEN deadline_on IS NULL OR deadline_on >= ${judgedOn} THEN 'onTime' ELSE 'late' END
      WHEN state IN (${ENDED_STATES}) THEN 'ended'
      WHEN deadline_on IS NOT NULL AND deadline_on < COALESCE(${judgedOn}, ?) THEN 'openOverdue'
      ELSE 'open' END`,
    params: [offset, offset, today],
  };
}

/** '+480 minutes' for a zone 480 minutes east of UTC (the `offset` parameter above). */
export const offsetParam = (offsetMinutes: number) => `${offsetMinutes >= 0 ? '+' : ''}${offsetMinutes} minutes`;
