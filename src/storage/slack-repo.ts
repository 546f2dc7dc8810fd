import type { Db } from './db.js';

/**
 * Storage for the Slack staff desk: the staff-channel message of each case and
 * inbound idempotency (processed_inbound, source 'slack'). Audit rows go through
 * audit-repo, the 'staff' outbox drain through outbox-repo.
 */

export interface CaseMessageRef {
  caseCode: string;
  channel: string;
  ts: string;
}

export async function saveCaseMessage(db: Db, ref: CaseMessageRef, now: Date): Promise<void> {
  await db.run(
    `INSERT INTO slack_case_messages (case_code, channel, ts, posted_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (case_code) DO UPDATE SET channel = excluded.channel, ts = excluded.ts, updated_at = excluded.updated_at`,
    [ref.caseCode, ref.channel, ref.ts, now.toISOString(), now.toISOString()],
  );
}

export async function findCaseMessage(db: Db, caseCode: string): Promise<CaseMessageRef | null> {
  const row = await db.get<CaseMessageRef>(
    'SELECT case_code AS caseCode, channel, ts FROM slack_case_messages WHERE case_code = ?',
    [caseCode],
  );
  return row ?? null;
}

export async function findCaseByMessage(db: Db, channel: string, ts: string): Promise<string | null> {
  const row = await db.get<{ caseCode: string }>(
    'SELECT case_code AS caseCode FROM slack_case_messages WHERE channel = ? AND ts = ?',
    [channel, ts],
  );
  return row?.caseCode ?? null;
}

export async function touchCaseMessage(db: Db, caseCode: string, now: Date): Promise<void> {
  await db.run('UPDATE slack_case_messages SET updated_at = ? WHERE case_code = ?', [now.toISOString(), caseCode]);
}

/** Records an inbound key; false when it was already seen (a Slack retry, a replayed click). */
export async function markInboundProcessed(db: Db, key: string, now: Date): Promise<boolean> {
  const result = await db.run(
    "INSERT INTO processed_inbound (source, key, at) VALUES ('slack', ?, ?) ON CONFLICT DO NOTHING",
    [key, now.toISOString()],
  );
  return result.changes > 0;
}

/**
 * Forgets an inbound key whose work failed (the database refused the write it guarded), so Slack's redelivery of the
 * same event is taken instead of dropped as a copy. Best effort: the caller tells the user to send again either way.
 */
export async function forgetInbound(db: Db, key: string): Promise<void> {
  await db.run("DELETE FROM processed_inbound WHERE source = 'slack' AND key = ?", [key]);
}

/** Staff-channel messages of cases still open or closed since `closedSince` (for digest links). */
export async function listRecentCaseMessages(db: Db, closedSince: Date): Promise<CaseMessageRef[]> {
  return db.all<CaseMessageRef>(
    `SELECT m.case_code AS caseCode, m.channel, m.ts FROM slack_case_messages m JOIN cases c ON c.code = m.case_code
     WHERE c.closed_at IS NULL OR c.closed_at >= ?`,
    [closedSince.toISOString()],
  );
}
