import type { Db } from './db.js';
import type { DigestCaseRow } from './digest-repo.js';

/** One 复查 / 复核 / repeat-complaint entry of a 信访 case (migration 0027; append-only). */
export interface CaseReviewRecord {
  id: number;
  caseId: number;
  eventId: number;
  level: 'review' | 'recheck' | 'repeat';
  body: string;
  requestedOn: string;
  /**
   * The day the reviewing body received the request (migration 0032): its 30 日 to decide count from here
   * (第三十四条 "自收到复查请求之日起"). Entries before 0032 had one day for both: their requestedOn.
   */
  requestReceivedOn: string;
  decidedOn: string | null;
  receivedOn: string;
  outcome: string;
  windowFrom: string;
  windowEnd: string;
  inTime: boolean;
  /** The last day for the 复查 / 复核意见 (30 日 from the request); null for repeat and for entries before migration 0031. */
  decisionDue: string | null;
  /** A decision entry: the pending entry (outcome 待决定) it answers. */
  decidesId: number | null;
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
  request_received_on: string | null;
  decided_on: string | null;
  received_on: string;
  outcome: string;
  window_from: string;
  window_end: string;
  in_time: number;
  decision_due: string | null;
  decides_id: number | null;
  actor: string;
  created_at: string;
}

const toRecord = (r: ReviewRow): CaseReviewRecord => ({
  id: r.id, caseId: r.case_id, eventId: r.event_id, level: r.level, body: r.body, requestedOn: r.requested_on,
  requestReceivedOn: r.request_received_on ?? r.requested_on, decidedOn: r.decided_on, receivedOn: r.received_on, outcome: r.outcome, windowFrom: r.window_from,
  windowEnd: r.window_end, inTime: r.in_time === 1, decisionDue: r.decision_due ?? null, decidesId: r.decides_id ?? null, actor: r.actor, createdAt: r.created_at,
});

export async function insertCaseReview(tx: Db, review: Omit<CaseReviewRecord, 'id'>): Promise<CaseReviewRecord> {
  const result = await tx.run(
    `INSERT INTO case_reviews (case_id, event_id, level, body, requested_on, request_received_on, decided_on, received_on, outcome,
       window_from, window_end, in_time, decision_due, decides_id, actor, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      review.caseId, review.eventId, review.level, review.body, review.requestedOn, review.requestReceivedOn, review.decidedOn, review.receivedOn,
      review.outcome, review.windowFrom, review.windowEnd, review.inTime ? 1 : 0, review.decisionDue, review.decidesId,
      review.actor, review.createdAt,
    ],
  );
  return { id: result.lastID, ...review };
}

/** A case's entries, oldest first. */
export async function listCaseReviews(db: Db, caseId: number): Promise<CaseReviewRecord[]> {
  const rows = await db.all<ReviewRow>('SELECT * FROM case_reviews WHERE case_id = ? ORDER BY id', [caseId]);
  return rows.map(toRecord);
}

/**
 * Entries recorded in [fromUtc, toUtc) with one of `outcomes`, with their case as the digest lists cases (masked there),
 * oldest first; `total` counts them all.
 */
export async function reviewsRecordedBetween(
  db: Db,
  fromUtc: string,
  toUtc: string,
  outcomes: readonly string[],
  limit: number,
): Promise<{ rows: { review: CaseReviewRecord; case: ReviewedCaseRow }[]; total: number }> {
  const inOutcomes = outcomes.map(() => '?').join(', ');
  const where = `r.created_at >= ? AND r.created_at < ? AND r.outcome IN (${inOutcomes})`;
  const rows = await db.all<ReviewRow & { code: string; type: string; channel: string; state: string; text: string; assignee: string | null; deadline_on: string | null }>(
    `SELECT r.*, c.code AS code, c.type AS type, c.channel AS channel, c.state AS state, c.text AS text, c.assignee AS assignee,
            c.deadline_on AS deadline_on
       FROM case_reviews r JOIN cases c ON c.id = r.case_id WHERE ${where} ORDER BY r.created_at, r.id LIMIT ?`,
    [fromUtc, toUtc, ...outcomes, limit],
  );
  const total = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM case_reviews r WHERE ${where}`, [fromUtc, toUtc, ...outcomes]);
  return {
    rows: rows.map((r) => ({
      review: toRecord(r),
      case: { code: r.code, type: r.type, channel: r.channel, state: r.state, text: r.text, assignee: r.assignee, deadlineOn: r.deadline_on },
    })),
    total: total?.n ?? 0,
  };
}

/** The case fields the digest shows beside a review entry. */
export type ReviewedCaseRow = Pick<DigestCaseRow, 'code' | 'type' | 'channel' | 'state' | 'text' | 'assignee' | 'deadlineOn'>;

/**
 * Entries whose decision reached the bureau on a local day in [fromDate, toDate], counted by level, outcome and timing.
 * `pendingOutcome`: the outcome of a request recorded before its decision (reviews.ts PENDING_OUTCOME), not counted.
 */
export async function reviewCounts(
  db: Db,
  fromDate: string,
  toDate: string,
  pendingOutcome: string,
): Promise<{ level: CaseReviewRecord['level']; outcome: string; inTime: boolean; n: number }[]> {
  const rows = await db.all<{ level: CaseReviewRecord['level']; outcome: string; in_time: number; n: number }>(
    `SELECT level, outcome, in_time, COUNT(*) AS n FROM case_reviews WHERE received_on >= ? AND received_on <= ? AND outcome <> ?
     GROUP BY level, outcome, in_time ORDER BY level, outcome, in_time`,
    [fromDate, toDate, pendingOutcome],
  );
  return rows.map((r) => ({ level: r.level, outcome: r.outcome, inTime: r.in_time === 1, n: r.n }));
}

/**
 * Pending 复查 / 复核 requests (outcome `pendingOutcome`, no decision entry answering them yet) whose decision is due on
 * or before `dueBy` (local YYYY-MM-DD), earliest due first, with their case as the digest lists cases; `total` counts them all.
 */
export async function pendingReviewsDueBy(
  db: Db,
  pendingOutcome: string,
  dueBy: string,
  limit: number,
): Promise<{ rows: { review: CaseReviewRecord; case: ReviewedCaseRow }[]; total: number }> {
  const where = `r.outcome = ? AND r.decision_due IS NOT NULL AND r.decision_due <= ?
    AND NOT EXISTS (SELECT 1 FROM case_reviews d WHERE d.decides_id = r.id)`;
  const rows = await db.all<ReviewRow & { code: string; type: string; channel: string; state: string; text: string; assignee: string | null; deadline_on: string | null }>(
    `SELECT r.*, c.code AS code, c.type AS type, c.channel AS channel, c.state AS state, c.text AS text, c.assignee AS assignee,
            c.deadline_on AS deadline_on
       FROM case_reviews r JOIN cases c ON c.id = r.case_id WHERE ${where} ORDER BY r.decision_due, r.id LIMIT ?`,
    [pendingOutcome, dueBy, limit],
  );
  const total = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM case_reviews r WHERE ${where}`, [pendingOutcome, dueBy]);
  return {
    rows: rows.map((r) => ({
      review: toRecord(r),
      case: { code: r.code, type: r.type, channel: r.channel, state: r.state, text: r.text, assignee: r.assignee, deadlineOn: r.deadline_on },
    })),
    total: total?.n ?? 0,
  };
}
