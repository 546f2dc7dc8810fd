import { maskPersonalData } from '../core/privacy/mask.js';
import type { Db, SqlValue } from './db.js';

/**
 * One row per citizen message the engine decided on. `text` is kept only for
 * the unanswered queue (refused, low-confidence, not helpful); otherwise NULL.
 * It is stored with phone and ID numbers masked: nobody who reads it (kb gaps, teach) needs them.
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
  /** For a pressed "您是不是想问" choice (intent 'kb-choice'): the id of the question row it answers. */
  questionId?: number | null;
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

const MESSAGE_COLUMNS = '(channel, chat_id, text, intent, answered, confident, entry_id, section, score, question_id, created_at)';
const MESSAGE_VALUES = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

function messageParams(row: MessageInsert, now: Date): SqlValue[] {
  return [
    row.channel,
    row.chatId,
    row.text === null ? null : maskPersonalData(row.text),
    row.intent,
    row.answered ? 1 : 0,
    row.confident ? 1 : 0,
    row.entryId ?? null,
    row.section ?? null,
    row.score ?? null,
    row.questionId ?? null,
    now.toISOString(),
  ];
}

export async function insertMessage(db: Db, row: MessageInsert, now: Date): Promise<number> {
  const result = await db.run(`INSERT INTO messages ${MESSAGE_COLUMNS} VALUES ${MESSAGE_VALUES}`, messageParams(row, now));
  return result.lastID;
}

/** Rows per multi-row INSERT: 11 parameters each, well under SQLite's 32,766 limit. */
const BATCH_ROWS = 200;

/**
 * Inserts many rows with one statement per 200 rows (each statement is atomic
 * on its own: if it fails, none of its rows was written) and returns the new
 * ids in the order the rows were given.
 */
export async function insertMessages(db: Db, rows: { row: MessageInsert; now: Date }[]): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const chunk = rows.slice(start, start + BATCH_ROWS);
    const params = chunk.map((r) => messageParams(r.row, r.now));
    const returned =
      db.dialect === 'sqlite' && params.every(sameThroughJson)
        ? await db.all<{ id: number }>(INSERT_FROM_JSON, [JSON.stringify(params)])
        : await db.all<{ id: number }>(`INSERT INTO messages ${MESSAGE_COLUMNS} VALUES ${chunk.map(() => MESSAGE_VALUES).join(', ')} RETURNING id`, params.flat());
    // RETURNING order is unspecified, but one INSERT assigns each row a rowid above
    // every earlier one, so ascending ids follow the order the rows were inserted in.
    ids.push(...returned.map((r) => r.id).sort((a, b) => a - b));
  }
  return ids;
}

/**
 * The rows as one JSON array parameter (SQLite's json_each, in array order): one text for sqlite3 to bind instead
 * of eleven values a row. Binding is done on the main thread, value by value through N-API, and was the largest single
 * item of the engine bench's CPU profile; JSON is read on SQLite's own thread. One SQL text for every batch size,
 * so one prepared statement serves them all (sqlite-statements.ts).
 */
const INSERT_FROM_JSON = `INSERT INTO messages ${MESSAGE_COLUMNS}
  SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8, value->>9,
    value->>10
  FROM json_each(?) ORDER BY key RETURNING id`;

/** In a u-mode pattern \p{Cs} matches only a surrogate that is not half of a pair. No g/y flag: `test` keeps no state. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Whether SQLite reads these values back from JSON exactly as it would store them bound one by one. Texts: when
 * well formed (sqlite3 binds a lone surrogate as U+FFFD, SQLite's JSON stores its escape as the surrogate). Whole numbers (a question's id) are exact. Scores: the
 * engine's (null, or thousandths from 0 to 1: decide rounds to three decimals); SQLite's JSON number reading is
 * not correctly rounded for every 17-digit double (1 ulp off for ~1 in 4,000 random ones), so any other number
 * takes the bound statement. Tested in tests/storage/messages-json-insert.test.ts.
 */
function sameThroughJson(params: SqlValue[]): boolean {
  for (const value of params) {
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return false;
    } else if (typeof value === 'number') {
      // Whole numbers (a question's row id) are read back exactly; so are the scores' thousandths.
      if (Number.isSafeInteger(value)) continue;
      if (!(value >= 0 && value <= 1 && Math.round(value * 1000) / 1000 === value)) return false;
    } else if (value !== null) return false;
  }
  return true;
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
  await db.run('UPDATE messages SET feedback = ?, text = COALESCE(text, ?) WHERE id = ?', [helpful ? 1 : 0, helpful || text === null ? null : maskPersonalData(text), id]);
}

/** Links the question to the case it became. */
export async function linkMessageCase(db: Db, id: number, caseId: number): Promise<void> {
  await db.run('UPDATE messages SET case_id = ? WHERE id = ?', [caseId, id]);
}
