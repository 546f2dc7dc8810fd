import type { Db } from './db.js';
import { OPEN_STATES } from '../core/cases/transitions.js';
import { AWAITING_ANSWER_SQL, AWAITING_CLOSE_SQL, caseOutcomeSql, offsetParam, outcomeInSql, type CaseOutcome, type OutcomeDay } from './case-outcome.js';

/**
 * Reads for the daily digest and the deadline reminders. What is due, overdue or awaiting closure is the shared
 * definition (case-outcome.ts), the one the monthly and annual reports count by.
 */
export { OPEN_STATES };
const IN_OPEN = `state IN (${OPEN_STATES.map((s) => `'${s}'`).join(', ')})`;

export interface DigestCaseRow {
  id: number;
  code: string;
  type: string;
  channel: string;
  state: string;
  text: string;
  assignee: string | null;
  receivedAt: string;
  deadlineOn: string | null;
  closedAt: string | null;
  ratingLabel: string | null;
  /** The rating's scale and value (closedBetween only), so the digest shows stars like the other channels. */
  ratingScale?: string | null;
  ratingValue?: number | null;
  /** The shared outcome (case-outcome.ts) as of the day asked, for the lists that judge one. */
  outcome?: CaseOutcome;
  repliedAt?: string | null;
}

const COLUMNS = `c.id, c.code, c.type, c.channel, c.state, c.text, c.assignee, c.received_at AS receivedAt,
  c.deadline_on AS deadlineOn, c.closed_at AS closedAt`;

export async function casesReceivedBetween(db: Db, fromUtc: string, toUtc: string, limit: number): Promise<{ rows: DigestCaseRow[]; total: number }> {
  const rows = await db.all<DigestCaseRow>(
    `SELECT ${COLUMNS}, NULL AS ratingLabel FROM cases c WHERE received_at >= ? AND received_at < ? ORDER BY received_at, id LIMIT ?`,
    [fromUtc, toUtc, limit],
  );
  const total = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM cases WHERE received_at >= ? AND received_at < ?', [fromUtc, toUtc]);
  return { rows, total: total?.n ?? 0 };
}

export async function openCountsByStateAndAssignee(db: Db): Promise<{ state: string; assignee: string | null; n: number }[]> {
  return db.all(`SELECT state, assignee, COUNT(*) AS n FROM cases WHERE ${IN_OPEN} GROUP BY 1, 2 ORDER BY 1, 2`);
}

/** Cases awaiting an answer (case-outcome.ts) with a deadline in [fromDate, toDate] (inclusive), earliest first. */
export async function openDueBetween(db: Db, fromDate: string, toDate: string, limit: number): Promise<{ rows: DigestCaseRow[]; total: number }> {
  const where = `${AWAITING_ANSWER_SQL} AND deadline_on >= ? AND deadline_on <= ?`;
  const rows = await db.all<DigestCaseRow>(
    `SELECT ${COLUMNS}, NULL AS ratingLabel FROM cases c WHERE ${where} ORDER BY deadline_on, id LIMIT ?`,
    [fromDate, toDate, limit],
  );
  const total = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM cases WHERE ${where}`, [fromDate, toDate]);
  return { rows, total: Number(total?.n ?? 0) };
}

/** Overdue cases: no answer and past their deadline as of `day` (outcome openOverdue), oldest deadline first. */
export async function openOverdue(db: Db, day: OutcomeDay, limit: number): Promise<{ rows: DigestCaseRow[]; total: number }> {
  const overdue = outcomeInSql(db, day, ['openOverdue']);
  // closed_at IS NULL AND deadline_on < today narrows the scan; the verdict is the shared one.
  const where = `closed_at IS NULL AND deadline_on < ? AND ${overdue.sql}`;
  const rows = await db.all<DigestCaseRow>(
    `SELECT ${COLUMNS}, NULL AS ratingLabel, 'openOverdue' AS outcome FROM cases c WHERE ${where} ORDER BY deadline_on, id LIMIT ?`,
    [day.today, ...overdue.params, limit],
  );
  const total = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM cases WHERE ${where}`, [day.today, ...overdue.params]);
  return { rows, total: Number(total?.n ?? 0) };
}

/**
 * 待办结: answered and not yet closed (case-outcome.ts AWAITING_CLOSE_SQL), with the outcome as of `day`: awaitingClose
 * (answered on time: not overdue) or late (answered after the deadline). Earliest answer first.
 */
export async function awaitingClose(db: Db, day: OutcomeDay, limit: number): Promise<{ rows: DigestCaseRow[]; total: number }> {
  const outcome = caseOutcomeSql(db, offsetParam(day.offsetMinutes), day.today);
  const rows = await db.all<DigestCaseRow>(
    `SELECT ${COLUMNS}, NULL AS ratingLabel, c.replied_at AS repliedAt, ${outcome.sql} AS outcome FROM cases c
     WHERE ${AWAITING_CLOSE_SQL} ORDER BY replied_at, id LIMIT ?`,
    [...outcome.params, limit],
  );
  const total = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM cases WHERE ${AWAITING_CLOSE_SQL}`);
  return { rows, total: Number(total?.n ?? 0) };
}

/** Unclaimed cases received before `beforeUtc`, oldest first. */
export async function unclaimedBefore(db: Db, beforeUtc: string, limit: number): Promise<DigestCaseRow[]> {
  return db.all<DigestCaseRow>(
    `SELECT ${COLUMNS}, NULL AS ratingLabel FROM cases c WHERE state = 'received' AND assignee IS NULL AND received_at < ?
     ORDER BY received_at, id LIMIT ?`,
    [beforeUtc, limit],
  );
}

export async function closedBetween(db: Db, fromUtc: string, toUtc: string, limit: number): Promise<{ rows: DigestCaseRow[]; total: number }> {
  const rows = await db.all<DigestCaseRow>(
    `SELECT ${COLUMNS}, r.label AS ratingLabel, r.scale AS ratingScale, r.value AS ratingValue FROM cases c LEFT JOIN ratings r ON r.case_id = c.id
     WHERE c.closed_at >= ? AND c.closed_at < ? ORDER BY c.closed_at, c.id LIMIT ?`,
    [fromUtc, toUtc, limit],
  );
  const total = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM cases WHERE closed_at >= ? AND closed_at < ?', [fromUtc, toUtc]);
  return { rows, total: total?.n ?? 0 };
}

/**
 * Open disclosure requests whose latest third-party consultation is still running, with the day it
 * started (`startedAt`), oldest first: the digest flags those past the 第三十二条 reply window.
 */
export async function openConsultations(db: Db, limit: number): Promise<(DigestCaseRow & { startedAt: string })[]> {
  return db.all(
    `SELECT ${COLUMNS}, NULL AS ratingLabel, e.at AS startedAt FROM cases c JOIN case_events e ON e.case_id = c.id
     WHERE c.type = 'disclosure' AND c.${IN_OPEN} AND e.kind = 'consultation_started'
       AND NOT EXISTS (SELECT 1 FROM case_events x WHERE x.case_id = c.id AND x.id > e.id AND x.kind IN ('consultation_started', 'consultation_ended'))
     ORDER BY e.at, c.id LIMIT ?`,
    [limit],
  );
}

/**
 * Disclosure requests still open whose latest 补正 step is the request for it (第三十条): the clock is stopped until the
 * applicant corrects it (a 补正告知 recorded as undelivered is void and ends the wait), earliest request first;
 * `askedAt` is when the 补正告知 went out.
 */
export async function awaitingCorrections(db: Db, limit: number): Promise<(DigestCaseRow & { askedAt: string })[]> {
  return db.all(
    `SELECT ${COLUMNS}, NULL AS ratingLabel, e.at AS askedAt FROM cases c JOIN case_events e ON e.case_id = c.id
     WHERE c.type = 'disclosure' AND c.${IN_OPEN} AND e.kind = 'correction_requested'
       AND NOT EXISTS (SELECT 1 FROM case_events x WHERE x.case_id = c.id AND x.id > e.id
                       AND x.kind IN ('correction_requested', 'correction_received', 'correction_undelivered'))
     ORDER BY e.at, c.id LIMIT ?`,
    [limit],
  );
}

/**
 * Cases of `types` (those on the 信访 clock) still awaiting an answer whose 受理告知 is not recorded, oldest
 * receipt first: the digest computes each due date (receipt + 15 日) and lists those due soon or late.
 * An answered case is left out: its answer recorded the notice (apply-action.ts). A 联系不上 one is listed: the bot's
 * notice did not reach the petitioner (desk recordUndelivered undid it), and the law still asks for one.
 */
export async function acceptanceNoticesUnrecorded(db: Db, types: readonly string[], limit: number): Promise<DigestCaseRow[]> {
  if (types.length === 0) return [];
  return db.all<DigestCaseRow>(
    `SELECT ${COLUMNS}, NULL AS ratingLabel FROM cases c
     WHERE c.type IN (${types.map(() => '?').join(', ')}) AND ${AWAITING_ANSWER_SQL} AND c.acceptance_notice_at IS NULL AND c.replied_at IS NULL
     ORDER BY c.received_at, c.id LIMIT ?`,
    [...types, limit],
  );
}

/**
 * Cases with a message to the citizen that did not arrive after the 联系不上 transition stopped applying (an
 * `undelivered` event in [fromUtc, toUtc): closed cases whose answer the parent may not have), oldest first;
 * `hasPhone`: another way to reach them is on the case.
 */
export async function undeliveredBetween(db: Db, fromUtc: string, toUtc: string, limit: number): Promise<{ rows: (DigestCaseRow & { hasPhone: number })[]; total: number }> {
  const where = `EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.kind = 'undelivered' AND e.at >= ? AND e.at < ?)`;
  const rows = await db.all<DigestCaseRow & { hasPhone: number }>(
    `SELECT ${COLUMNS}, NULL AS ratingLabel, CASE WHEN c.contact IS NULL THEN 0 ELSE 1 END AS hasPhone FROM cases c
     WHERE ${where} ORDER BY c.received_at, c.id LIMIT ?`,
    [fromUtc, toUtc, limit],
  );
  const total = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM cases c WHERE ${where}`, [fromUtc, toUtc]);
  return { rows, total: total?.n ?? 0 };
}

/** Fallback knowledge gaps: unanswered questions since `sinceUtc`, grouped by exact normalised text. */
export async function unansweredGroups(db: Db, sinceUtc: string, limit: number): Promise<{ text: string; count: number }[]> {
  return db.all(
    `SELECT lower(trim(text)) AS text, COUNT(*) AS count FROM messages
     WHERE created_at >= ? AND answered = 0 AND text IS NOT NULL AND trim(text) <> ''
     GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?`,
    [sinceUtc, limit],
  );
}

/**
 * Where the next digest starts: the moment the last posted digest covered up to (migration 0030,
 * digest_posts), or null when none was posted yet. Only digests that reached staff are recorded, so a
 * skipped day, downtime or a failed post does not move it.
 */
export async function lastDigestCoveredUntil(db: Db, now: Date): Promise<string | null> {
  const row = await db.get<{ at: string | null }>('SELECT MAX(covered_until) AS at FROM digest_posts WHERE covered_until <= ?', [now.toISOString()]);
  return row?.at ?? null;
}

/** A digest covering up to `coveredUntil` has been posted to staff (every page of it). */
export async function recordDigestPosted(db: Db, coveredUntil: Date, postedAt: Date): Promise<void> {
  await db.run('INSERT INTO digest_posts (covered_until, posted_at) VALUES (?, ?)', [coveredUntil.toISOString(), postedAt.toISOString()]);
}

/** When this database was set up (its first migration), or null: the first digest covers nothing older. */
export async function installedAt(db: Db): Promise<string | null> {
  const row = await db.get<{ at: string | null }>('SELECT MIN(applied_at) AS at FROM schema_migrations');
  return row?.at ?? null;
}
