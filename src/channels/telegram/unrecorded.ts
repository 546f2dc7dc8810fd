import type { Update } from 'telegraf/types';

/**
 * Updates the bot could not record because the database refused the write
 * (read-only files, full disk, lock held elsewhere). The parent was already
 * answered (knowledge answer or apology, sent directly); the update itself
 * must not be lost:
 * - webhook mode: the handler throws `UnrecordedUpdateError`, the webhook
 *   answers 500 and Telegram redelivers the update later;
 * - polling mode: Telegram considers a fetched update delivered, so it waits
 *   here, in memory (at most `limit`, the oldest dropped and logged beyond
 *   that), and is replayed once writes succeed again. A restart during the
 *   fault loses this queue (docs/DEPLOY.md).
 * `answered` remembers which updates already got their knowledge answer, so a
 * replay or redelivery records them without answering twice, and which got
 * the apology, so a redelivery during the fault does not repeat it.
 * A chat's updates are handled in the order it sent them: a newer update that
 * is recorded while older ones of its chat wait here has them handled first
 * (`heldBefore`, handlers.ts), and the same text sent again meanwhile is a
 * resend (`heldText`), not a second message.
 */
export class UnrecordedUpdateError extends Error {
  constructor(readonly updateId: number) {
    super(`Telegram update ${updateId} could not be recorded (database refuses writes); redeliver it later.`);
    this.name = 'UnrecordedUpdateError';
  }
}

export interface UnrecordedUpdates {
  /** How the parent was answered during the fault, if they were: 'answer' (nothing left to do) or 'apology'. */
  replied(key: string): 'answer' | 'apology' | undefined;
  noteReplied(key: string, how: 'answer' | 'apology'): void;
  /** The update was recorded at last: forget it. */
  recorded(key: string): void;
  /** Keeps the update for replay (polling) or throws UnrecordedUpdateError (webhook); `text`: what the parent wrote, if a message. */
  hold(update: Update, chatId?: string, text?: string | null): void;
  /** The chat's updates waiting before this one (all of the chat's, if it is not waiting), oldest first. */
  heldBefore(chatId: string, updateId: number): Update[];
  /** The update was recorded after all (by a replay or ahead of a newer update of its chat): no longer waiting. */
  forget(updateId: number): void;
  /** Whether a message of the chat waiting before this update (all, if it is not waiting) has this text: a resend. */
  heldText(chatId: string, text: string, updateId: number): boolean;
  /** Updates waiting for replay (polling mode). */
  readonly waiting: number;
  /** Replays waiting updates in arrival order until one fails again; returns how many were replayed. */
  replay(handle: (update: Update) => Promise<void>): Promise<number>;
  /** Updates dropped because the queue was full. */
  readonly dropped: number;
}

export const UNRECORDED_QUEUE_LIMIT = 1000;

export function createUnrecordedUpdates(options: { mode: 'webhook' | 'polling'; limit?: number; onDrop?: (update: Update) => void }): UnrecordedUpdates {
  const limit = options.limit ?? UNRECORDED_QUEUE_LIMIT;
  const replies = new Map<string, 'answer' | 'apology'>();
  const queue: Update[] = [];
  /** Chat and text of each waiting update, by update id. */
  const about = new Map<number, { chatId: string | undefined; text: string | null }>();
  const same = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');
  const enqueue = (update: Update, chatId: string | undefined, text: string | null | undefined) => {
    if (queue.some((u) => u.update_id === update.update_id)) return; // a replay that failed again keeps its place
    if (queue.length >= limit) {
      dropped += 1;
      const oldest = queue.shift()!;
      about.delete(oldest.update_id);
      options.onDrop?.(oldest);
    }
    queue.push(update);
    about.set(update.update_id, { chatId, text: text ? same(text) : null });
  };
  let dropped = 0;
  let failedAgain = false;
  let replaying: Promise<number> | null = null;
  return {
    replied: (key) => replies.get(key),
    noteReplied(key, how) {
      if (replies.size >= limit * 2) replies.delete(replies.keys().next().value!);
      replies.set(key, how);
    },
    recorded: (key) => void replies.delete(key),
    hold(update, chatId, text) {
      if (options.mode === 'webhook') throw new UnrecordedUpdateError(update.update_id);
      failedAgain = true;
      enqueue(update, chatId, text);
    },
    heldBefore(chatId, updateId) {
      const before: Update[] = [];
      for (const u of queue) {
        if (u.update_id === updateId) break;
        if (about.get(u.update_id)?.chatId === chatId) before.push(u);
      }
      return before;
    },
    forget(updateId) {
      const i = queue.findIndex((u) => u.update_id === updateId);
      if (i >= 0) queue.splice(i, 1);
      about.delete(updateId);
    },
    heldText(chatId, text, updateId) {
      const wanted = same(text);
      for (const u of queue) {
        if (u.update_id === updateId) return false;
        const a = about.get(u.update_id);
        if (a?.chatId === chatId && a.text === wanted) return true;
      }
      return false;
    },
    get waiting() {
      return queue.length;
    },
    get dropped() {
      return dropped;
    },
    replay(handle) {
      replaying ??= (async () => {
        let done = 0;
        try {
          while (queue.length > 0) {
            const next = queue[0]!;
            failedAgain = false;
            await handle(next);
            if (failedAgain) break; // writes still fail: keep the rest for the next attempt
            // Usually forgotten already when its record succeeded; removed by identity (not position) either way.
            const at = queue.indexOf(next);
            if (at >= 0) queue.splice(at, 1);
            about.delete(next.update_id);
            done += 1;
          }
        } finally {
          replaying = null;
        }
        return done;
      })();
      return replaying;
    },
  };
}
