import type { Db } from './db.js';

/**
 * disclosure_appeals (migration 0031): a 行政复议 / 行政诉讼 against the answer to one disclosure request. Append-only:
 * a later entry of the same appeal (appeal_id = its first entry's id, migration 0032: the result, a correction)
 * supersedes the earlier one in counts.
 */
export interface DisclosureAppealRecord {
  id: number;
  caseId: number;
  eventId: number;
  category: string;
  filedOn: string;
  outcome: string;
  decidedOn: string | null;
  caseRef: string | null;
  /** The appeal's first entry; null on the first entry itself. */
  appealId: number | null;
  actor: string;
  createdAt: string;
}

const SELECT = `SELECT id, case_id AS caseId, event_id AS eventId, category, filed_on AS filedOn, outcome,
  decided_on AS decidedOn, case_ref AS caseRef, appeal_id AS appealId, actor, created_at AS createdAt FROM disclosure_appeals`;

export async function insertDisclosureAppeal(tx: Db, a: Omit<DisclosureAppealRecord, 'id'>): Promise<DisclosureAppealRecord> {
  const result = await tx.run(
    `INSERT INTO disclosure_appeals (case_id, event_id, category, filed_on, outcome, decided_on, case_ref, appeal_id, actor, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [a.caseId, a.eventId, a.category, a.filedOn, a.outcome, a.decidedOn, a.caseRef, a.appealId, a.actor, a.createdAt],
  );
  return { id: result.lastID, ...a };
}

/** A request's entries, oldest first. */
export async function listDisclosureAppeals(db: Db, caseId: number): Promise<DisclosureAppealRecord[]> {
  return db.all<DisclosureAppealRecord>(`${SELECT} WHERE case_id = ? ORDER BY id`, [caseId]);
}

const CURRENT = 'a.id IN (SELECT MAX(id) FROM disclosure_appeals GROUP BY COALESCE(appeal_id, id))';
const SELECT_WITH_CODE = `SELECT a.id, a.case_id AS caseId, a.event_id AS eventId, a.category, a.filed_on AS filedOn, a.outcome,
  a.decided_on AS decidedOn, a.case_ref AS caseRef, a.appeal_id AS appealId, a.actor, a.created_at AS createdAt, c.code AS code
  FROM disclosure_appeals a JOIN cases c ON c.id = a.case_id`;

/**
 * The current entry of every appeal whose 收到日期 falls in [fromDate, toDate]: its latest entry, which carries the
 * outcome table 四 counts, with the request's code.
 */
export async function currentAppealsFiledBetween(db: Db, fromDate: string, toDate: string): Promise<(DisclosureAppealRecord & { code: string })[]> {
  return db.all<DisclosureAppealRecord & { code: string }>(
    `${SELECT_WITH_CODE} WHERE ${CURRENT} AND a.filed_on >= ? AND a.filed_on <= ? ORDER BY a.filed_on, a.id`,
    [fromDate, toDate],
  );
}

/** The current entry of every appeal of `category` (any request, any year), with its request's code. */
export async function currentAppealsOfCategory(db: Db, category: string): Promise<(DisclosureAppealRecord & { code: string })[]> {
  return db.all<DisclosureAppealRecord & { code: string }>(
    `${SELECT_WITH_CODE} WHERE ${CURRENT} AND a.category = ? ORDER BY a.id`,
    [category],
  );
}
