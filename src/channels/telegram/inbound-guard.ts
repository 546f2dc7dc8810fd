/**
 * What the adapter checks before the engine sees an update: is it for us (in
 * groups only commands, mentions and replies to the bot), is the chat
 * flooding, is it text at all, and is the text safe to pass on. Dedupe by
 * update_id lives in telegram-repo (processed_inbound), called by the bot.
 */

export const FLOOD_LIMIT = 20; // messages
export const FLOOD_WINDOW_MS = 60_000;
/** Telegram caps text at 4096; anything longer (a webhook forgery, a future API) is cut. */
export const INBOUND_TEXT_MAX = 4096;

export type FloodVerdict = 'ok' | 'notice' | 'ignore';

export interface FloodGuard {
  /** Counts one message from `chatId` at `nowMs`. */
  hit(chatId: string, nowMs: number): FloodVerdict;
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
  };
}

/** Removes control characters except tab and newline, normalises line ends, caps the length. */
export function sanitizeText(text: string, max = INBOUND_TEXT_MAX): string {
  const cleaned = text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u2028-\u202E\u2066-\u2069\uFEFF]/g, '')
    .trim();
  const chars = Array.from(cleaned);
  return chars.length <= max ? cleaned : chars.slice(0, max).join('');
}

export interface GroupMessageFacts {
  chatType: string;
  text: string;
  botUsername: string;
  /** The message starts with a bot_command entity. */
  isCommand: boolean;
  /** The message replies to one of the bot's messages. */
  repliesToBot: boolean;
}

/**
 * Whether the bot should answer. In private chats always; in groups only
 * when commanded (`/help` or `/help@ThisBot`, not `/help@OtherBot`),
 * mentioned (@ThisBot) or replied to.
 */
export function isAddressedToBot(facts: GroupMessageFacts): boolean {
  if (facts.chatType === 'private') return true;
  if (facts.chatType !== 'group' && facts.chatType !== 'supergroup') return false;
  const bot = facts.botUsername.toLowerCase();
  if (facts.isCommand) {
    const target = /^\/[A-Za-z0-9_]+@([A-Za-z0-9_]+)/.exec(facts.text)?.[1];
    return target === undefined || target.toLowerCase() === bot;
  }
  return facts.repliesToBot || facts.text.toLowerCase().includes(`@${bot}`);
}

/**
 * Runs a chat's updates one after another, in arrival order. telegraf handles
 * each polled batch concurrently (Promise.all), so without this two quick
 * messages from one parent could reach the engine out of order. Other chats
 * run in parallel.
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
