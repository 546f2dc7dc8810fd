import type { Db } from '../../storage/db.js';
import { AppError } from '../errors.js';
import { insertMessage, insertMessages, type MessageInsert } from '../../storage/messages-repo.js';

/** Rows per group commit: one INSERT statement, all or nothing. */
const MAX_BATCH = 200;

interface Waiting {
  row: MessageInsert;
  now: Date;
  resolve: (id: number) => void;
  reject: (error: unknown) => void;
}

export interface MessageBatcher {
  /** Resolves with the row id once the row is committed. */
  insert(row: MessageInsert, now: Date): Promise<number>;
  /** Resolves when every row handed in so far is written (or failed); later rows are not waited for. */
  idle(): Promise<void>;
}

/**
 * Group commit for `messages` rows. With many chats in parallel, each turn's
 * insert used to be its own statement, serialised behind every other one on
 * the shared connection; here the rows that arrive while a batch is being
 * written wait and go together in the next single INSERT (at most one batch
 * in flight). A caller still gets its id only after its row is committed, so
 * replies that carry the id (feedback buttons) never point at a lost row.
 * If a batch fails, its rows are retried one by one, so one bad row fails
 * only its own caller, as before.
 *
 * Double buffering: when a batch commits, the rows that queued meanwhile go to
 * the database *before* its callers are resumed, and once a burst has queued
 * half as many rows as the last batch held they are sent at once rather than at
 * the end of the loop iteration. The database then writes one half of the chats'
 * rows while the engine works on the other half's next messages; with a single
 * batch per burst the main thread sat idle for every commit (the engine bench's
 * idle time). Each caller still resumes only after its own row committed.
 */
export function createMessageBatcher(db: Db): MessageBatcher {
  let queue: Waiting[] = [];
  let running: Promise<void> | null = null;
  let scheduled = false;
  // Settles after the last row handed in so far (batches are written in order).
  let last: Promise<unknown> = Promise.resolve();

  // Rows in the last batch sent: a burst's rows are sent once half as many have queued (see above).
  let lastBatch = 0;

  /** Writes a batch; returns how to settle its callers (called after the next batch has been sent). */
  const write = async (batch: Waiting[]): Promise<() => void> => {
    if (batch.length > 1) {
      // One statement: if it fails, none of its rows exists, so retrying row by row below is safe.
      const ids = await insertMessages(db, batch).catch(() => null);
      if (ids && ids.length === batch.length) return () => batch.forEach((w, i) => w.resolve(ids[i]!));
      if (ids) {
        const error = new AppError('storage_failed', `Database error: wrote ${ids.length} message rows for ${batch.length}; the message log may be incomplete.`);
        return () => batch.forEach((w) => w.reject(error));
      }
    }
    for (const w of batch) await insertMessage(db, w.row, w.now).then(w.resolve, w.reject);
    return () => undefined;
  };

  const drain = () => {
    scheduled = false;
    if (running || queue.length === 0) return;
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(batch.length);
    lastBatch = batch.length;
    running = write(batch).then(
      (settle) => {
        running = null;
        drain(); // the rows queued meanwhile go to the database first…
        settle(); // …then this batch's callers resume
      },
      // write() settles every caller itself on a failure; this only keeps the queue moving
      () => {
        running = null;
        drain();
      },
    );
  };

  // setImmediate: let the turns already under way in this loop iteration
  // reach their insert too, so a burst starts with one batch, not one row.
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(drain);
  };

  return {
    insert: (row, now) => {
      const id = new Promise<number>((resolve, reject) => {
        queue.push({ row, now, resolve, reject });
        if (running) return;
        if (lastBatch > 1 && 2 * queue.length >= lastBatch) drain();
        else schedule();
      });
      last = id.catch(() => undefined);
      return id;
    },
    idle: async () => {
      await last;
    },
  };
}
