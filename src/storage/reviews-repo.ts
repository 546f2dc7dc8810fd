import type { Db } from './db.js';

/** One 复查 / 复核 / repeat-complaint entry of a 信访 case (migration 0027; append-only). */
export interface CaseReviewRecord {
  id: number;
  caseId: number;
  eventId: number;
  level: 'review' | 'recheck' | 'repeat';
  body: string;
  requestedOn: string;
  decidedOn: string | null;
  receivedOn: string;
  outcome: string;
  windowFrom: string;
  windowEnd: string;
  inTime: boolean;
  actor: string;
  createdAt: string;
}

interface ReviewRow {
  id: number;
  case_id: number;
  event_id: number;
  level: CaseReviewRecord['level'];
  body: string;
  requested_on: string;
  decided_on: string | null;
  received_on: string;
  outcome: string;
  window_from: string;
  window_end: string;
  in_time: number;
  actor: string;
  created_at: string;
}

const toRecord = (r: ReviewRow): CaseReviewRecord => ({
  id: r.id, caseId: r.case_id, eventId: r.event_id, level: r.level, body: r.body, requestedOn: r.requested_on,
  decidedOn: r.decided_on, receivedOn: r.received_on, outcome: r.outcome, windowFrom: r.window_from,
  windowEnd: r.window_end, inTime: r.in_time === 1, actor: r.actor, createdAt: r.created_at,
});

export async function insertCaseReview(tx: Db, review: Omit<CaseReviewRecord, 'id'>): Promise<CaseReviewRecord> {
  const result = await tx.run(
    `INSERT INTO case_reviews (case_id, event_id, level, body, requested_on, decided_on, received_on, outcome,
       window_from, window_end, in_time, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      review.caseId, review.eventId, review.level, review.body, review.requestedOn, review.decidedOn, review.receivedOn,
      review.outcome, review.windowFrom, review.windowEnd, review.inTime ? 1 : 0, review.actor, review.createdAt,
    ],
  );
  return { id: result.lastID, ...review };
}

/** A case's entries, oldest first. */
export async function listCaseReviews(db: Db, caseId: number): Promise<CaseReviewRecord[]> {
  const rows = await db.all<ReviewRow>('SELECT * FROM case_reviews WHERE case_id = ? ORDER BY id', [caseId]);
  return rows.map(toRecord);
}

/** A review entry with its case's code, for the digest and reports. */
export interface CaseReviewListed extends CaseReviewRecord {
  code: string;
  state: string;
  deadlineOn: string | null;
  assignee: string | null;
}

/**
 * Entries whose decision the bureau received on a day in [from, to] (local YYYY-MM-DD, inclusive), optionally only
 * those with one of `outcomes`; oldest first.
 */
export async function reviewsReceivedBetween(
  db: Db,
  from: string,
  to: string,
  outcomes?: readonly string[],
): Promise<CaseReviewListed[]> {
  const params: (string | number)[] = [from, to];
  let where = 'r.received_on >= ? AND r.received_on <= ?';
  if (outcomes?.length) {
    where += ` AND r.outcome IN (${outcomes.map(() => '?').join(', ')})`;
    params.push(...outcomes);
  }
  const rows = await db.all<ReviewRow & { code: string; state: string; deadline_on: string | null; assignee: string | null }>(
    `SELECT r.*, c.code AS code, c.state AS state, c.deadline_on AS deadline_on, c.assignee AS assignee
       FROM case_reviews r JOIN cases c ON c.id = r.case_id WHERE ${where} ORDER BY r.received_on, r.id`,
    params,
  );
  return rows.map((r) => ({ ...toRecord(r), code: r.code, state: r.state, deadlineOn: r.deadline_on, assignee: r.assignee }));
}
