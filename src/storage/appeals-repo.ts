import type { Db } from './db.js';

/**
 * disclosure_appeals (migration 0031): a 行政复议 / 行政诉讼 against the answer to one disclosure request. Append-only:
 * a later entry for the same request and category (the decision, a correction) supersedes the earlier one in counts.
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
  actor: string;
  createdAt: string;
}

const SELECT = `SELECT id, case_id AS caseId, event_id AS eventId, category, filed_on AS filedOn, outcome,
  decided_on AS decidedOn, case_ref AS caseRef, actor, created_at AS createdAt FROM disclosure_appeals`;

export async function insertDisclosureAppeal(tx: Db, a: Omit<DisclosureAppealRecord, 'id'>): Promise<DisclosureAppealRecord> {
  const result = await tx.run(
    `INSERT INTO disclosure_appeals (case_id, event_id, category, filed_on, outcome, decided_on, case_ref, actor, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [a.caseId, a.eventId, a.category, a.filedOn, a.outcome, a.decidedOn, a.caseRef, a.actor, a.createdAt],
  );
  return { id: result.lastID, ...a };
}

/** A request's entries, oldest first. */
export async function listDisclosureAppeals(db: Db, caseId: number): Promise<DisclosureAppealRecord[]> {
  return db.all<DisclosureAppealRecord>(`${SELECT} WHERE case_id = ? ORDER BY id`, [caseId]);
}

/**
 * The current entry of every (request, category) whose 收到日期 falls in [fromDate, toDate]: the latest one recorded,
 * which carries the outcome table 四 counts.
 */
export async function currentAppealsFiledBetween(db: Db, fromDate: string, toDate: string): Promise<DisclosureAppealRecord[]> {
  return db.all<DisclosureAppealRecord>(
    `${SELECT} WHERE id IN (SELECT MAX(id) FROM disclosure_appeals GROUP BY case_id, category)
       AND filed_on >= ? AND filed_on <= ? ORDER BY filed_on, id`,
    [fromDate, toDate],
  );
}
