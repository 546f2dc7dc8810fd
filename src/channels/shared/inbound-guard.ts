/**
 * Channel-neutral guards for inbound citizen text, shared by the Telegram and web adapters (and
 * the per-key queue by the Slack desk): a per-chat flood guard, text sanitising, and a per-key
 * queue that keeps one chat's messages in order.
 */

import { replaceLoneSurrogates } from '../../core/engine/well-formed.js';

export const FLOOD_LIMIT = 20; // messages
export const FLOOD_WINDOW_MS = 60_000;
/** The longest text a channel passes on (Telegram's cap, 4096); anything longer (a forgery, a future API) is cut. */
export const INBOUND_TEXT_MAX = 4096;

export type FloodVerdict = 'ok' | 'notice' | 'ignore';

export interface FloodGuard {
  /** Counts one message from `chatId` at `nowMs`. */
  hit(chatId: string, nowMs: number): FloodVerdict;
  /** The chat has a new id (a Telegram group upgraded to a supergroup): its count and its members' (`id:user`) go with it. */
  move?(from: string, to: string): void;
}

/**
 * Sliding one-minute window per chat. More than `limit` messages in the
 * window → one polite notice, then silence until the chat is calm again (at
 * most `limit` messages, ignored ones included, in the last window). Other
 * chats are unaffected.
 */
export function createFloodGuard(limit = FLOOD_LIMIT, windowMs = FLOOD_WINDOW_MS): FloodGuard {
  const chats = new Map<string, { times: number[]; flooded: boolean }>();
  let lastSweep = 0;
  return {
    hit(chatId, nowMs) {
      if (nowMs - lastSweep > windowMs) {
        for (const [id, s] of chats) if ((s.times[s.times.length - 1] ?? 0) <= nowMs - windowMs) chats.delete(id);
        lastSweep = nowMs;
      }
      const state = chats.get(chatId) ?? { times: [], flooded: false };
      chats.set(chatId, state);
      state.times = state.times.filter((t) => t > nowMs - windowMs);
      state.times.push(nowMs);
      if (state.times.length <= limit) {
        state.flooded = false;
        return 'ok';
      }
      if (state.flooded) return 'ignore';
      state.flooded = true;
      return 'notice';
    },
    move(from, to) {
      for (const [id, s] of [...chats]) {
        if (id !== from && !id.startsWith(`${from}:`)) continue;
        chats.delete(id);
        chats.set(`${to}${id.slice(from.length)}`, s);
      }
    },
  };
}

/**
 * Removes control, zero-width and bidi characters except tab and newline, normalises line ends, caps
 * the length. A zero-width joiner stays where it joins two emoji (👨‍👩‍👧): there it is part of the
 * character the parent sent, not a hidden control. A lone surrogate becomes U+FFFD, as the engine's entry does, so
 * what a channel shows or stores of the message before the engine sees it is the same text.
 */
export function sanitizeText(text: string, max = INBOUND_TEXT_MAX): string {
  const cleaned = replaceLoneSurrogates(text)
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B\u200C\u200E\u200F\u2028-\u202E\u2066-\u2069\uFEFF]/g, '')
    .replace(/(?<![\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F])\u200D|\u200D(?!\p{Extended_Pictographic})/gu, '')
    .trim();
  const chars = Array.from(cleaned);
  return chars.length <= max ? cleaned : chars.slice(0, max).join('');
}

/**
 * Runs the work for one key (a chat, a case) one after another, in arrival order; other keys run
 * in parallel. telegraf handles each polled batch concurrently (Promise.all) and the web channel
 * takes concurrent POSTs, so without this two quick messages from one parent could reach the
 * engine out of order; the Slack desk uses it so two clicks on one case never interleave.
 */
export function createChatQueue(): <T>(chatId: string, work: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (chatId, work) => {
    const previous = tails.get(chatId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    tails.set(chatId, tail);
    void tail.then(() => {
      if (tails.get(chatId) === tail) tails.delete(chatId);
    });
    return next;
  };
}
