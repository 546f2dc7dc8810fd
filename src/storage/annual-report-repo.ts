import type { PetitionCountRow, RequestCountRow, YearBounds } from '../core/reports/annual/gather.js';
import type { Db } from './db.js';
import { registerFactsForYear } from './registers-repo.js';
import { countIf, shiftedDate } from './sql-fragments.js';

/**
 * Read-only aggregations for the annual disclosure report (row types in
 * core/reports/annual/gather.ts). Every query is one indexed GROUP BY, so
 * 100,000 cases stay fast.
 */

const off = (b: YearBounds) => `${b.offsetMinutes >= 0 ? '+' : ''}${b.offsetMinutes} minutes`;

/**
 * When a 政府信息公开申请 left the desk: closed, or withdrawn (which does not set closed_at): then the time of the
 * withdrawal, from the event trail, not updated_at, which anonymisation years later moves (the year's figures must
 * not depend on the day they are drawn). A case with no such event (imported before the trail) keeps updated_at.
 */
const FINISHED = `COALESCE(closed_at, CASE WHEN state = 'withdrawn' THEN COALESCE(
  (SELECT MAX(e.at) FROM case_events e WHERE e.case_id = cases.id AND e.kind = 'transition' AND e.to_state = 'withdrawn'),
  updated_at) END)`;

export async function disclosureCounts(db: Db, b: YearBounds): Promise<{ category: string; channel: string; n: number }[]> {
  return db.all(
    `SELECT category, channel, COUNT(*) AS n FROM disclosures WHERE published_on >= ? AND published_on <= ? GROUP BY 1, 2`,
    [`${b.year}-01-01`, `${b.year}-12-31`],
  );
}

/** 政府信息公开申请 (type 'disclosure') for table 三: received, carried in, finished by result, carried out. */
export async function requestCounts(db: Db, b: YearBounds): Promise<RequestCountRow[]> {
  const base = `FROM cases WHERE type = 'disclosure'`;
  const count = `applicant_type AS applicant, NULL AS result, '' AS state, COUNT(*) AS n, NULL AS codes`;
  return db.all<RequestCountRow>(
    `SELECT 'received' AS part, ${count} ${base} AND received_at >= ? AND received_at < ? GROUP BY applicant_type
     UNION ALL
     SELECT 'carriedIn', ${count} ${base} AND received_at < ? AND (${FINISHED} IS NULL OR ${FINISHED} >= ?) GROUP BY applicant_type
     UNION ALL
     SELECT 'result', applicant_type, disclosure_result, state, COUNT(*),
            CASE WHEN disclosure_result IS NULL THEN substr(group_concat(code, '、'), 1, 300) END
       ${base} AND ${FINISHED} >= ? AND ${FINISHED} < ? GROUP BY applicant_type, disclosure_result, state
     UNION ALL
     SELECT 'carriedOut', ${count} ${base} AND received_at < ? AND (${FINISHED} IS NULL OR ${FINISHED} >= ?) GROUP BY applicant_type`,
    [b.fromUtc, b.toUtc, b.fromUtc, b.fromUtc, b.fromUtc, b.toUtc, b.toUtc, b.toUtc],
  );
}

/**
 * 政府信息公开申请 finished in the year or still open at `asOfDate`, judged against deadline_on:
 * late = answered (replied or finished, local date) after it, or still open past it. Returned and
 * withdrawn requests are not judged. Feeds "均在法定期限内答复", said only when `late` is 0.
 */
export async function requestTimeliness(
  db: Db,
  b: YearBounds,
  regimeFromUtc?: string,
): Promise<{ finished: number; late: number; estimated: number; straddling: number }> {
  // Received before the current rule took effect, answered (or still unanswered) after it: `regimeFromUtc` twice.
  const cutoff = regimeFromUtc ?? '1970-01-01T00:00:00.000Z';
  const row = await db.get<{ finished: number; late: number; estimated: number; straddling: number }>(
    `SELECT COALESCE(${countIf('closed_at IS NOT NULL')}, 0) AS finished,
       COALESCE(${countIf('deadline_estimated = 1')}, 0) AS estimated,
       COALESCE(${countIf('received_at < ? AND (COALESCE(replied_at, closed_at) IS NULL OR COALESCE(replied_at, closed_at) >= ?)')}, 0) AS straddling,
       COALESCE(${countIf(`deadline_on IS NOT NULL
         AND deadline_on < COALESCE(${shiftedDate(db, 'COALESCE(replied_at, closed_at)', '?')}, ?)`)}, 0) AS late
     FROM cases WHERE type = 'disclosure' AND state NOT IN ('returned', 'withdrawn')
       AND ((closed_at >= ? AND closed_at < ?) OR (closed_at IS NULL AND received_at < ?))`,
    [cutoff, cutoff, off(b), b.asOfDate, b.fromUtc, b.toUtc, b.toUtc],
  );
  return row ?? { finished: 0, late: 0, estimated: 0, straddling: 0 };
}

/**
 * Every other case received in the year (信访, 投诉, 咨询 … by 民心网, phone, the bot):
 * never table 三 (条例第三十九条), reported in the narrative. Overdue = answered
 * (or, if still open, `asOfDate`) after deadline_on; returned and withdrawn cases are not judged.
 */
export async function petitionCounts(db: Db, b: YearBounds): Promise<PetitionCountRow[]> {
  return db.all<PetitionCountRow>(
    `SELECT channel, COUNT(*) AS n,
       COALESCE(${countIf('closed_at IS NOT NULL')}, 0) AS finished,
       COALESCE(${countIf("unreachable = 1 OR state = 'unreachable'")}, 0) AS unreachable,
       COALESCE(${countIf(`deadline_on IS NOT NULL AND state NOT IN ('returned', 'withdrawn')
         AND deadline_on < COALESCE(${shiftedDate(db, 'COALESCE(replied_at, closed_at)', '?')}, ?)`)}, 0) AS overdue
     FROM cases WHERE type <> 'disclosure' AND received_at >= ? AND received_at < ? GROUP BY channel`,
    [off(b), b.asOfDate, b.fromUtc, b.toUtc],
  );
}

export async function petitionRatings(
  db: Db,
  b: YearBounds,
): Promise<{ scale: string; value: number | null; label: string; declined: number; n: number }[]> {
  return db.all(
    `SELECT r.scale, r.value, r.label, r.declined, COUNT(*) AS n FROM ratings r JOIN cases c ON c.id = r.case_id
     WHERE c.type <> 'disclosure' AND c.received_at >= ? AND c.received_at < ? GROUP BY 1, 2, 3, 4`,
    [b.fromUtc, b.toUtc],
  );
}

/** The annual report's data source over this database (see core/reports/annual/gather.ts). */
export function createAnnualSource(db: Db) {
  return {
    disclosureCounts: (b: YearBounds) => disclosureCounts(db, b),
    requestCounts: (b: YearBounds) => requestCounts(db, b),
    petitionCounts: (b: YearBounds) => petitionCounts(db, b),
    requestTimeliness: (b: YearBounds, regimeFromUtc?: string) => requestTimeliness(db, b, regimeFromUtc),
    petitionRatings: (b: YearBounds) => petitionRatings(db, b),
    registerFacts: (year: number) => registerFactsForYear(db, year),
  };
}
