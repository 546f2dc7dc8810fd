import type { Db } from './db.js';

/**
 * One row per citizen message the engine decided on. `text` is kept only for
 * the unanswered queue (refused, low-confidence, not helpful); otherwise NULL.
 */
export interface MessageInsert {
  channel: string;
  chatId: string;
  text: string | null;
  intent: string;
  answered: boolean;
  confident: boolean;
  entryId?: string | null;
  section?: string | null;
  score?: number | null;
}

export interface MessageRecord {
  id: number;
  channel: string;
  chatId: string;
  text: string | null;
  intent: string;
  answered: boolean;
  confident: boolean;
  entryId: string | null;
  section: string | null;
  feedback: boolean | null;
  caseId: number | null;
}

export async function insertMessage(db: Db, row: MessageInsert, now: Date): Promise<number> {
  const result = await db.run(
    `INSERT INTO messages (channel, chat_id, text, intent, answered, confident, entry_id, section, score, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      row.channel,
      row.chatId,
      row.text,
      row.intent,
      row.answered ? 1 : 0,
      row.confident ? 1 : 0,
      row.entryId ?? null,
      row.section ?? null,
      row.score ?? null,
      now.toISOString(),
    ],
  );
  return result.lastID;
}

interface RawMessage {
  id: number;
  channel: string;
  chatId: string;
  text: string | null;
  intent: string;
  answered: number;
  confident: number;
  entryId: string | null;
  section: string | null;
  feedback: number | null;
  caseId: number | null;
}

export async function getMessage(db: Db, id: number): Promise<MessageRecord | null> {
  const row = await db.get<RawMessage>(
    `SELECT id, channel, chat_id AS chatId, text, intent, answered, confident, entry_id AS entryId, section,
            feedback, case_id AS caseId FROM messages WHERE id = ?`,
    [id],
  );
  if (!row) return null;
  return {
    ...row,
    answered: row.answered === 1,
    confident: row.confident === 1,
    feedback: row.feedback === null ? null : row.feedback === 1,
  };
}

/** Records 👍/👎; a "not helpful" answer joins the unanswered queue with its question text. */
export async function setMessageFeedback(db: Db, id: number, helpful: boolean, text: string | null): Promise<void> {
  await db.run('UPDATE messages SET feedback = ?, text = COALESCE(text, ?) WHERE id = ?', [helpful ? 1 : 0, helpful ? null : text, id]);
}

/** Links the question to the case it became. */
export async function linkMessageCase(db: Db, id: number, caseId: number): Promise<void> {
  await db.run('UPDATE messages SET case_id = ? WHERE id = ?', [caseId, id]);
}
