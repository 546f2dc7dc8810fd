import type { Db } from './db.js';
import { chatsOf, readErasures } from './erasure-journal.js';
import { eraseChat, type EraseOptions } from './retention-repo.js';
import { deleteWebSession } from './web-repo.js';

export interface ReapplyResult {
  /** Journal lines read. */
  entries: number;
  /** Chats found whole in the database and erased again. */
  chats: number;
  /** Why erased bytes may still be in the file (clearErasedBytes), or null. */
  diskProblem: string | null;
}

/**
 * Erases again every chat the erasure journal at `path` names in `db` (a database just restored from a backup made
 * before some of those erasures). Idempotent: a chat already erased in `db` is not found and skipped.
 */
export async function reapplyErasures(
  db: Db,
  path: string,
  now: Date,
  options: Pick<EraseOptions, 'sampleOfTexts'> = {},
): Promise<ReapplyResult> {
  const entries = readErasures(path);
  let chats = 0;
  let diskProblem: string | null = null;
  for (const entry of entries) {
    for (const { channel, chatId } of await chatsOf(db, entry)) {
      const result = await eraseChat(db, channel, chatId, now.toISOString(), { ...options, journal: false });
      // A web chat's id is its session: the transcript and the session go as on the page's erase.
      const web = channel === 'web' ? await deleteWebSession(db, chatId, now) : null;
      diskProblem ??= result.diskProblem ?? web;
      chats += 1;
    }
  }
  return { entries: entries.length, chats, diskProblem };
}
