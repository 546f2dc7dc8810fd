import type { Db } from '../../storage/db.js';
import { loadConversation, saveConversation, saveConversations, type ConversationRow } from '../../storage/conversations-repo.js';
import { getMessage, insertMessage, linkMessageCase, setMessageFeedback } from '../../storage/messages-repo.js';
import { createMessageBatcher } from './message-batcher.js';
import { eraseChat, openCaseCodesOfChat } from '../../storage/retention-repo.js';

/**
 * The storage functions the engine uses, bound to one database. Tests may
 * pass their own; `createEngineStore(db)` is the SQLite one.
 */
export interface EngineStore {
  loadConversation: OmitDb<typeof loadConversation>;
  /** `defer`: may be written a moment later, batched with other chats (see createEngineStore). */
  saveConversation(
    key: { channel: string; chatId: string; userId: string | null },
    value: { locale: string | null; state: unknown },
    now: Date,
    options?: { defer?: boolean },
  ): Promise<void>;
  /** Waits for pending message rows and writes every deferred conversation now (before closing the database). */
  flush(): Promise<void>;
  insertMessage: OmitDb<typeof insertMessage>;
  getMessage: OmitDb<typeof getMessage>;
  setMessageFeedback: OmitDb<typeof setMessageFeedback>;
  linkMessageCase: OmitDb<typeof linkMessageCase>;
  eraseChat: OmitDb<typeof eraseChat>;
  openCaseCodesOfChat: OmitDb<typeof openCaseCodesOfChat>;
}

type OmitDb<F> = F extends (db: Db, ...rest: infer A) => infer R ? (...rest: A) => R : never;

/**
 * `cacheMs`: a chat's conversation row is served from memory for this long
 * after it was last read or written by this process (write-through), which
 * saves one query per message in a busy chat. Keep it short: another process
 * (the retention purge, a CLI erase) may delete the row meanwhile.
 *
 * A deferred save (only the recent lines changed, not the flow) is written
 * within `flushMs`, batched in one statement, so a burst costs one write per
 * chat rather than per message. A crash can lose at most that window of
 * recent lines; flow steps, handoffs and language choices are never deferred.
 *
 * Message rows are group-committed: the inserts of all chats that arrive
 * while one batch is being written go in the next single INSERT, and each
 * caller gets its row id only after that statement committed (see
 * message-batcher.ts). `batchMessages: false` writes one statement per row.
 *
 * On PostgreSQL neither the cache nor deferred saves are on by default: any
 * instance may take a chat's next message (webhook mode behind a load
 * balancer), so the row must be read from the database and written before the
 * reply is acknowledged. With a cache, the instance that served message 1
 * would answer message 3 from the state before message 2 (which another
 * instance handled) — the two-instance kill test showed filing flows reset.
 */
export function createEngineStore(
  db: Db,
  options: { cacheMs?: number; maxCached?: number; flushMs?: number; batchMessages?: boolean; onError?: (error: unknown) => void } = {},
): EngineStore {
  const shared = db.dialect === 'postgres';
  const cacheMs = options.cacheMs ?? (shared ? 0 : 60_000);
  const maxCached = options.maxCached ?? 10_000;
  const flushMs = options.flushMs ?? (shared ? 0 : 100);
  // Rows are cached as JSON text: every read gets its own copy to mutate. `saved`: the text is of a state this
  // process saved (valid by its type), not of a row read from the database (which the engine validates).
  const cache = new Map<string, { locale: string | null; json: string | null; at: number; saved: boolean }>();
  type Pending = { key: Parameters<typeof saveConversation>[1]; value: Parameters<typeof saveConversation>[2]; now: Date; stateJson: string };
  const pending = new Map<string, Pending>();
  let timer: NodeJS.Timeout | null = null;
  const keyOf = (channel: string, chatId: string) => `${channel}\u0000${chatId}`;
  const batcher = options.batchMessages === false ? null : createMessageBatcher(db);
  /** Caches the row; returns the state's JSON (null for no row). */
  const put = (k: string, row: { locale: string | null; state: unknown } | null, saved: boolean): string | null => {
    cache.delete(k);
    if (cache.size >= maxCached) cache.delete(cache.keys().next().value!);
    const json = row ? JSON.stringify(row.state) : null;
    cache.set(k, { locale: row?.locale ?? null, json, at: Date.now(), saved });
    return json;
  };
  const writeDeferred = async () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.size === 0) return;
    const items = [...pending.values()];
    pending.clear();
    await saveConversations(db, items);
  };
  const flush = async () => {
    await batcher?.idle();
    await writeDeferred();
  };
  return {
    loadConversation: async (channel, chatId) => {
      const k = keyOf(channel, chatId);
      const hit = cacheMs > 0 ? cache.get(k) : undefined;
      if (hit && Date.now() - hit.at < cacheMs) {
        if (hit.json === null) return null;
        const row: ConversationRow = { locale: hit.locale, state: JSON.parse(hit.json) as ConversationRow['state'] };
        if (hit.saved) row.saved = true;
        return row;
      }
      const row = await loadConversation(db, channel, chatId);
      if (cacheMs > 0) put(k, row, false);
      return row;
    },
    saveConversation: async (key, value, now, saveOptions = {}) => {
      const k = keyOf(key.channel, key.chatId);
      const json = cacheMs > 0 ? put(k, value, true) : null;
      if (saveOptions.defer && json !== null && flushMs > 0) {
        pending.set(k, { key, value, now, stateJson: json });
        timer ??= setTimeout(() => void writeDeferred().catch((error: unknown) => options.onError?.(error)), flushMs);
        timer.unref?.();
        return;
      }
      pending.delete(k);
      await saveConversation(db, key, value, now, json ?? undefined);
    },
    flush,
    insertMessage: (row, now) => (batcher ? batcher.insert(row, now) : insertMessage(db, row, now)),
    getMessage: (...a) => getMessage(db, ...a),
    setMessageFeedback: (...a) => setMessageFeedback(db, ...a),
    linkMessageCase: (...a) => linkMessageCase(db, ...a),
    eraseChat: async (channel, chatId, now) => {
      const k = keyOf(channel, chatId);
      cache.delete(k);
      pending.delete(k);
      await batcher?.idle(); // message rows of this chat still being written are erased too
      return eraseChat(db, channel, chatId, now);
    },
    openCaseCodesOfChat: (...a) => openCaseCodesOfChat(db, ...a),
  };
}
