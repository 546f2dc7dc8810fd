import { sharedWithOtherInstances, type Db } from '../../storage/db.js';
import { loadConversation, saveConversation, saveConversations, type ConversationRow } from '../../storage/conversations-repo.js';
import { getMessage, insertMessage, linkMessageCase, setMessageFeedback } from '../../storage/messages-repo.js';
import { jsonCopy } from './json-copy.js';
import { createMessageBatcher } from './message-batcher.js';
import { eraseChat } from '../../storage/retention-repo.js';
import { caseCodesOfChat } from '../../storage/cases-repo.js';
import { WITHDRAWABLE_STATES } from '../cases/transitions.js';
import { sampleOfTexts } from '../gaps/erase.js';

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
  /** A parent's erase request: nothing is erased while a case of the chat is open (`openCases` names them). */
  eraseChat(channel: string, chatId: string, now: string): ReturnType<typeof eraseChat>;
  /** The codes of the chat's cases a parent may still withdraw (WITHDRAWABLE_STATES), oldest first. */
  withdrawableCaseCodesOfChat(channel: string, chatId: string): Promise<string[]>;
  /**
   * Writes the chat's deferred state now and drops its cached row: the next turn reads the database (the chat's
   * rows were moved under another id, e.g. a Telegram group upgraded to a supergroup). Optional for test stores.
   */
  forget?(channel: string, chatId: string): Promise<void>;
  /**
   * Runs one turn of a chat so that no other instance runs a turn of the same chat meanwhile (a database shared
   * with other instances); without it two messages of one chat answered at once by two instances would each save
   * the conversation from the same old state, and one flow step would be lost. Optional: one process needs none.
   */
  exclusive?<T>(channel: string, chatId: string, work: () => Promise<T>): Promise<T>;
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
 * On a database shared with other instances (PostgreSQL) neither the cache nor deferred saves are on by default: any
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
  const shared = sharedWithOtherInstances(db);
  const cacheMs = options.cacheMs ?? (shared ? 0 : 60_000);
  const maxCached = options.maxCached ?? 10_000;
  const flushMs = options.flushMs ?? (shared ? 0 : 100);
  // Rows are cached as a private copy of the state (jsonCopy: what a JSON round trip makes, strings shared), and
  // every read gets its own copy to mutate. `saved`: the state is one this process saved (valid by its type), not
  // a row read from the database (which the engine validates). A deferred save keeps that copy and is serialised
  // when it is written, once per chat however many turns it had meanwhile.
  const cache = new Map<string, { locale: string | null; state: unknown; at: number; saved: boolean }>();
  type Pending = { key: Parameters<typeof saveConversation>[1]; value: Parameters<typeof saveConversation>[2]; now: Date };
  const pending = new Map<string, Pending>();
  let timer: NodeJS.Timeout | null = null;
  const keyOf = (channel: string, chatId: string) => `${channel}\u0000${chatId}`;
  const batcher = options.batchMessages === false ? null : createMessageBatcher(db);
  /** Caches a copy of the row; returns it (null for no row). */
  const put = (k: string, row: { locale: string | null; state: unknown } | null, saved: boolean) => {
    cache.delete(k);
    if (cache.size >= maxCached) cache.delete(cache.keys().next().value!);
    const copy = row ? { locale: row.locale, state: jsonCopy(row.state) } : null;
    cache.set(k, { locale: row?.locale ?? null, state: copy?.state ?? null, at: Date.now(), saved });
    return copy;
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
        if (hit.state === null) return null;
        const row: ConversationRow = { locale: hit.locale, state: jsonCopy(hit.state) as ConversationRow['state'] };
        if (hit.saved) row.saved = true;
        return row;
      }
      const row = await loadConversation(db, channel, chatId);
      if (cacheMs > 0) put(k, row, false);
      return row;
    },
    saveConversation: async (key, value, now, saveOptions = {}) => {
      const k = keyOf(key.channel, key.chatId);
      const copy = cacheMs > 0 ? put(k, value, true) : null;
      if (saveOptions.defer && copy !== null && flushMs > 0) {
        pending.set(k, { key, value: copy, now }); // the cached copy: nothing mutates it
        timer ??= setTimeout(() => void writeDeferred().catch((error: unknown) => options.onError?.(error)), flushMs);
        timer.unref?.();
        return;
      }
      pending.delete(k);
      await saveConversation(db, key, copy ?? value, now);
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
      return eraseChat(db, channel, chatId, now, { sampleOfTexts, whileOpen: 'refuse' });
    },
    withdrawableCaseCodesOfChat: (channel, chatId) => caseCodesOfChat(db, { channel, chatId }, WITHDRAWABLE_STATES),
    forget: async (channel, chatId) => {
      const k = keyOf(channel, chatId);
      const waiting = pending.get(k);
      pending.delete(k);
      cache.delete(k);
      if (waiting) await saveConversation(db, waiting.key, waiting.value, waiting.now);
    },
    exclusive: (channel, chatId, work) => (shared && db.exclusive ? db.exclusive(`chat:${channel}:${chatId}`, work) : work()),
  };
}
