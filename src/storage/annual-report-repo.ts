import type { PetitionCountRow, RequestCountRow, YearBounds } from '../core/reports/annual/gather.js';
import type { Db } from './db.js';
import { registerFactsForYear } from './registers-repo.js';
import { ANSWERED_AT_SQL, caseOutcomeSql, ENDED_STATES, offsetParam } from './case-outcome.js';
import { countIf } from './sql-fragments.js';

/**
 * Read-only aggregations for the annual disclosure report (row types in
 * core/reports/annual/gather.ts). Every query is one indexed GROUP BY, so
 * 100,000 cases stay fast.
 */

/**
 * When a 政府信息公开申请 left the desk: closed, or withdrawn (which does not set closed_at): then the time of the
 * withdrawal, from the event trail, not updated_at, which anonymisation years later moves (the year's figures must
 * not depend on the day they are drawn). A case with no such event (imported before the trail) keeps updated_at.
 */
const FINISHED = `COALESCE(closed_at, CASE WHEN state = 'withdrawn' THEN COALESCE(
  (SELECT MAX(e.at) FROM case_events e WHERE e.case_id = cases.id AND e.kind = 'transition' AND e.to_state = 'withdrawn'),
  updated_at) END)`;

/** When a case was returned (退单) or withdrawn (撤回), the same way (event trail first); null for any other case. */
const ENDED_AT = `CASE WHEN state IN (${ENDED_STATES}) THEN COALESCE(
  (SELECT MAX(e.at) FROM case_events e WHERE e.case_id = cases.id AND e.kind = 'transition' AND e.to_state = cases.state),
  updated_at) END`;

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
 * 政府信息公开申请 finished in the year or still open at its end, judged by the shared outcome (case-outcome.ts) as of
 * `asOfDate`: late = answered after deadline_on, or still open past it. Returned and withdrawn requests are not judged.
 * Feeds "均在法定期限内答复", said only when `late` is 0.
 */
export async function requestTimeliness(
  db: Db,
  b: YearBounds,
  regimeFromUtc?: string,
): Promise<{ finished: number; late: number; estimated: number; straddling: number }> {
  // Received before the current rule took effect, answered (or still unanswered) after it: `regimeFromUtc` twice.
  const cutoff = regimeFromUtc ?? '1970-01-01T00:00:00.000Z';
  const outcome = caseOutcomeSql(db, offsetParam(b.offsetMinutes), b.asOfDate);
  const row = await db.get<{ finished: number; late: number; estimated: number; straddling: number }>(
    `SELECT COALESCE(${countIf('closed_at IS NOT NULL')}, 0) AS finished,
       COALESCE(${countIf('deadline_estimated = 1')}, 0) AS estimated,
       COALESCE(${countIf(`received_at < ? AND (answered_at IS NULL OR answered_at >= ?)`)}, 0) AS straddling,
       COALESCE(${countIf(`outcome IN ('late', 'openOverdue')`)}, 0) AS late
     FROM (SELECT closed_at, replied_at, received_at, deadline_estimated, ${outcome.sql} AS outcome, ${ANSWERED_AT_SQL} AS answered_at
       FROM cases WHERE type = 'disclosure' AND state NOT IN (${ENDED_STATES})
         AND ((closed_at >= ? AND closed_at < ?) OR (closed_at IS NULL AND received_at < ?))) t`,
    [cutoff, cutoff, ...outcome.params, b.fromUtc, b.toUtc, b.toUtc],
  );
  return row ?? { finished: 0, late: 0, estimated: 0, straddling: 0 };
}

/**
 * Every other case received in the year (信访, 投诉, 咨询 … by 民心网, phone, the bot): never table 三 (条例第三十九条),
 * reported in the narrative. Per channel: `finished` = 办结 before the year ended, `lateFinished` of them after their
 * deadline; `ended` = 退单 or 撤回 before the year ended; `carriedOver` = the rest, 结转下年度继续办理, and
 * `carriedOverdue` of them already past their deadline (judged as of `asOfDate`); `overdue` = every case the shared
 * outcome (case-outcome.ts) calls late or open past its deadline as of `asOfDate`, the monthly report's 逾期办结 +
 * 在办（已逾期） over the same cases on the same day.
 */
export async function petitionCounts(db: Db, b: YearBounds): Promise<PetitionCountRow[]> {
  const outcome = caseOutcomeSql(db, offsetParam(b.offsetMinutes), b.asOfDate);
  const finished = `closed_at IS NOT NULL AND closed_at < ?`;
  const ended = `closed_at IS NULL AND state IN (${ENDED_STATES}) AND ended_at < ?`;
  const carried = `NOT (${finished}) AND NOT (${ended})`;
  const judgedLate = `outcome IN ('late', 'openOverdue')`;
  const rows = await db.all<PetitionCountRow>(
    `SELECT channel, COUNT(*) AS n,
       COALESCE(${countIf(finished)}, 0) AS finished,
       COALESCE(${countIf(`${finished} AND outcome = 'late'`)}, 0) AS "lateFinished",
       COALESCE(${countIf(ended)}, 0) AS ended,
       COALESCE(${countIf(carried)}, 0) AS "carriedOver",
       COALESCE(${countIf(`${carried} AND ${judgedLate}`)}, 0) AS "carriedOverdue",
       COALESCE(${countIf("unreachable = 1 OR state = 'unreachable'")}, 0) AS unreachable,
       COALESCE(${countIf(judgedLate)}, 0) AS overdue
     FROM (SELECT channel, closed_at, state, unreachable, ${outcome.sql} AS outcome, ${ENDED_AT} AS ended_at
       FROM cases WHERE type <> 'disclosure' AND received_at >= ? AND received_at < ?) t GROUP BY channel`,
    [...Array<string>(7).fill(b.toUtc), ...outcome.params, b.fromUtc, b.toUtc],
  );
  return rows.map((r) => ({
    channel: r.channel,
    n: Number(r.n),
    finished: Number(r.finished),
    lateFinished: Number(r.lateFinished),
    ended: Number(r.ended),
    carriedOver: Number(r.carriedOver),
    carriedOverdue: Number(r.carriedOverdue),
    unreachable: Number(r.unreachable),
    overdue: Number(r.overdue),
  }));
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
