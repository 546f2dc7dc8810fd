import type { Db } from './db.js';

/**
 * Per-chat state (where a parent is in a multi-step flow, the chosen
 * language, the recent lines a handoff carries). The engine owns the shape of
 * `state`; this module stores it as JSON next to a format version so an older
 * row can be recognised after an upgrade.
 */
export interface ConversationRow {
  locale: string | null;
  state: Record<string, unknown>;
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

export async function saveConversation(
  db: Db,
  key: { channel: string; chatId: string; userId: string | null },
  value: { locale: string | null; state: unknown },
  now: Date,
): Promise<void> {
  await db.run(
    `INSERT INTO conversations (channel, chat_id, user_id, locale, state_json, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (channel, chat_id) DO UPDATE SET user_id = excluded.user_id, locale = excluded.locale,
       state_json = excluded.state_json, updated_at = excluded.updated_at`,
    [key.channel, key.chatId, key.userId, value.locale, JSON.stringify(value.state), now.toISOString()],
  );
}
