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
  /** Keeps the update for replay (polling) or throws UnrecordedUpdateError (webhook). */
  hold(update: Update): void;
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
    hold(update) {
      if (options.mode === 'webhook') throw new UnrecordedUpdateError(update.update_id);
      failedAgain = true;
      if (queue.some((u) => u.update_id === update.update_id)) return; // a replay that failed again keeps its place
      if (queue.length >= limit) {
        dropped += 1;
        options.onDrop?.(queue.shift()!);
      }
      queue.push(update);
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
            queue.shift();
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
