import type { Db, SqlValue } from './db.js';

/**
 * Per-chat state (where a parent is in a multi-step flow, the chosen
 * language, the recent lines a handoff carries). The engine owns the shape of
 * `state`; this module stores it as JSON next to a format version so an older
 * row can be recognised after an upgrade.
 */
export interface ConversationRow {
  locale: string | null;
  state: Record<string, unknown>;
  /**
   * Set by a cache that serves a copy of a state this process itself saved (the engine's typed state, so it needs
   * no validating again); a row read from the database never has it.
   */
  saved?: true;
}

export async function loadConversation(db: Db, channel: string, chatId: string): Promise<ConversationRow | null> {
  const row = await db.get<{ locale: string | null; state_json: string }>(
    'SELECT locale, state_json FROM conversations WHERE channel = ? AND chat_id = ?',
    [channel, chatId],
  );
  if (!row) return null;
  let state: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(row.state_json);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) state = parsed as Record<string, unknown>;
  } catch {
    state = {};
  }
  return { locale: row.locale, state };
}

type ConversationKey = { channel: string; chatId: string; userId: string | null };
type ConversationValue = { locale: string | null; state: unknown };

const UPSERT_HEAD = 'INSERT INTO conversations (channel, chat_id, user_id, locale, state_json, updated_at) VALUES ';
const UPSERT_TAIL = ` ON CONFLICT (channel, chat_id) DO UPDATE SET user_id = excluded.user_id, locale = excluded.locale,
       state_json = excluded.state_json, updated_at = excluded.updated_at`;

/** `stateJson`: the state already serialised (saves a second JSON.stringify). */
function conversationParams(key: ConversationKey, value: ConversationValue, now: Date, stateJson?: string): SqlValue[] {
  return [key.channel, key.chatId, key.userId, value.locale, stateJson ?? JSON.stringify(value.state), now.toISOString()];
}

export async function saveConversation(
  db: Db,
  key: ConversationKey,
  value: ConversationValue,
  now: Date,
  stateJson?: string,
): Promise<void> {
  await db.run(`${UPSERT_HEAD}(?, ?, ?, ?, ?, ?)${UPSERT_TAIL}`, conversationParams(key, value, now, stateJson));
}

/** Rows per multi-row upsert: 6 parameters each, well under SQLite's limit. */
const BATCH_ROWS = 500;

/**
 * Saves many chats' state, one statement per 500 chats (each statement is
 * atomic). Keys should be distinct; for a repeated key the last row wins.
 */
export async function saveConversations(
  db: Db,
  items: { key: ConversationKey; value: ConversationValue; now: Date; stateJson?: string }[],
): Promise<void> {
  // One row per chat, the last one given: PostgreSQL refuses an upsert that touches a row twice.
  const last = new Map(items.map((i) => [`${i.key.channel}\u0000${i.key.chatId}`, i]));
  const distinct = [...last.values()];
  for (let start = 0; start < distinct.length; start += BATCH_ROWS) {
    const chunk = distinct.slice(start, start + BATCH_ROWS);
    await db.run(
      `${UPSERT_HEAD}${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}${UPSERT_TAIL}`,
      chunk.flatMap((i) => conversationParams(i.key, i.value, i.now, i.stateJson)),
    );
  }
}
