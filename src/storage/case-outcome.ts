import type { Db } from './db.js';
import { localParts, offsetMinutes } from '../core/reports/local-time.js';
import { shiftedDate } from './sql-fragments.js';

/**
 * The one definition of a case's outcome. The monthly report (report-queries.ts), the annual report
 * (annual-report-repo.ts), the daily digest and the deadline reminders (digest-repo.ts), Slack `/cases overdue` and the
 * case cards (cases-repo.ts listCases / caseOutcomes) and the CLI's `cases list` / `cases export` all read it from here,
 * so no two of them judge the same case differently.
 *
 * The legal limit is met when the answer reaches the citizen (the reply) on or before deadline_on (local day), for
 * every type: a 政府信息公开申请 (第三十三条 "予以答复"), a 12345 / 民心网 complaint and a 信访 alike. Closing the case
 * in the system is the bureau's own step and does not move the verdict.
 *
 *   onTime         answered on time and closed (办结)
 *   late           answered after deadline_on (closed or not)
 *   awaitingClose  answered on time, not yet closed: 待办结, not overdue (staff still have to close it)
 *   ended          not closed and final: 退单 (returned) or 撤回 (withdrawn): not judged
 *   openOverdue    no answer yet and deadline_on has passed: overdue
 *   open           no answer yet, deadline not passed (or no deadline: a 补正 awaited stops the clock, deadline_on is
 *                  then null; an extension, 延期, moved deadline_on)
 *
 * "Answered" is the reply, or the closing when a case is closed without one (its closing note is the answer). A reply
 * that did not reach the citizen is no answer: a case in 联系不上 (unreachable) has none, whatever it was sent (it stays
 * open and its limit runs), and a case closed as 联系不上 (close_basis 'unreachable') is judged by the day staff closed
 * it, not by the time of a reply that never arrived — on time when it was closed within the limit, late after it.
 *
 * Why delivery, not the sending, decides: the texts in ../shared/reference/government-rules.md name
 * an answer given TO the citizen — 《政府信息公开条例》第三十三条 "予以答复" the applicant within 20 工作日, 《信访条例》
 * 第三十二条 "并书面答复信访人" and 第三十三条 "60日内办结" — and none of them counts a reply the citizen never got; the
 * reference holds no rule that sending alone suffices ([U]), while it does name the unreachable citizen as a case of
 * its own (第二十二条 "信访人的姓名(名称)、住址不清的除外"; the 民心网 flag 联系不上诉求人). So the bureau claims "在法定期限内
 * 答复" only for answers it can show arrived, and an unreachable citizen's case is judged by the bureau's own ending of
 * it. The desk already holds every other message to this rule: a 受理告知 or 补正告知 the bot could not deliver is void,
 * closing as answered needs the reply delivered (desk-closing.ts mustHaveDelivered), and an answer after 联系不上 sets
 * replied_at anew.
 */
export const ENDED_STATES = `'returned', 'withdrawn'`;

/** The instant the answer reached the citizen (see above); null while no answer has. */
export const ANSWERED_AT_SQL = `CASE
  WHEN closed_at IS NOT NULL THEN CASE WHEN close_basis = 'unreachable' THEN closed_at ELSE COALESCE(replied_at, closed_at) END
  WHEN state = 'unreachable' THEN NULL ELSE replied_at END`;
const ANSWERED_AT = ANSWERED_AT_SQL;

export type CaseOutcome = 'onTime' | 'late' | 'awaitingClose' | 'open' | 'openOverdue' | 'ended';
export const CASE_OUTCOMES: readonly CaseOutcome[] = ['onTime', 'late', 'awaitingClose', 'open', 'openOverdue', 'ended'];

/**
 * SQL for the outcome of the `cases` row in scope, with its parameters in order: `offset` turns stored instants
 * into local dates ('+480 minutes'), `today` is the local date an unanswered case is judged on.
 */
export function caseOutcomeSql(db: Db, offset: string, today: string): { sql: string; params: string[] } {
  const answeredOn = shiftedDate(db, ANSWERED_AT, '?');
  return {
    sql: `CASE
      WHEN closed_at IS NULL AND state IN (${ENDED_STATES}) THEN 'ended'
      WHEN (${ANSWERED_AT}) IS NOT NULL THEN CASE
        WHEN deadline_on IS NOT NULL AND deadline_on < ${answeredOn} THEN 'late'
        WHEN closed_at IS NULL THEN 'awaitingClose'
        ELSE 'onTime' END
      WHEN deadline_on IS NOT NULL AND deadline_on < ? THEN 'openOverdue'
      ELSE 'open' END`,
    params: [offset, today],
  };
}

/**
 * Answered and not yet closed (not withdrawn or returned): what staff still have to close, on time (awaitingClose) or
 * answered late. No date in it: it holds the same on any day.
 */
export const AWAITING_CLOSE_SQL = `closed_at IS NULL AND state NOT IN (${ENDED_STATES}) AND (${ANSWERED_AT}) IS NOT NULL`;

/** Not answered, not closed, not ended: the limit still runs (open or openOverdue above). */
export const AWAITING_ANSWER_SQL = `closed_at IS NULL AND state NOT IN (${ENDED_STATES}) AND (${ANSWERED_AT}) IS NULL`;

/** A predicate on the `cases` row in scope: its outcome as of `day` is one of `outcomes`. */
export function outcomeInSql(db: Db, day: OutcomeDay, outcomes: readonly CaseOutcome[]): { sql: string; params: string[] } {
  const outcome = caseOutcomeSql(db, offsetParam(day.offsetMinutes), day.today);
  return { sql: `(${outcome.sql}) IN (${outcomes.map((o) => `'${o}'`).join(', ')})`, params: outcome.params };
}

/** '+480 minutes' for a zone 480 minutes east of UTC (the `offset` parameter above). */
export const offsetParam = (offsetMinutes: number) => `${offsetMinutes >= 0 ? '+' : ''}${offsetMinutes} minutes`;

/** The local offset and date a verdict is taken on, for callers that hold a clock and a zone. */
export interface OutcomeDay {
  /** Local date (YYYY-MM-DD) an unanswered case is judged on. */
  today: string;
  /** Minutes east of UTC of the bureau's zone on that day. */
  offsetMinutes: number;
}

/** The day verdicts are taken on at `now`: the local date and offset in the bureau's zone. */
export function outcomeDayAt(now: Date, timeZone: string): OutcomeDay {
  return { today: localParts(now, timeZone).date, offsetMinutes: offsetMinutes(now, timeZone) };
}

/** The outcome of each case in `ids` as of `day` (one statement); ids not found are absent from the map. */
export async function caseOutcomes(db: Db, ids: readonly number[], day: OutcomeDay): Promise<Map<number, CaseOutcome>> {
  const out = new Map<number, CaseOutcome>();
  if (ids.length === 0) return out;
  const outcome = caseOutcomeSql(db, offsetParam(day.offsetMinutes), day.today);
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await db.all<{ id: number; outcome: CaseOutcome }>(
      `SELECT id, ${outcome.sql} AS outcome FROM cases WHERE id IN (${chunk.map(() => '?').join(', ')})`,
      [...outcome.params, ...chunk],
    );
    for (const r of rows) out.set(Number(r.id), r.outcome);
  }
  return out;
}
