import type { Db } from './db.js';
import { clearRewriteMark, markRewritesNeeded, pendingRewrites, recordRewriteFailure } from './erasure-rewrites-repo.js';

/**
 * "Erased means gone from disk" (docs/PRIVACY.md). Clearing a column or deleting a row leaves the old bytes
 * in the files until the engine reuses the space: SQLite keeps them in its write-ahead log (its free pages are
 * zeroed by secure_delete, db.ts), PostgreSQL keeps the dead row versions in the table, index and TOAST files.
 * After an erase or a retention purge the tables it touched are therefore cleared here: SQLite checkpoints
 * and truncates its log, PostgreSQL rewrites the tables (Db.reclaim: VACUUM FULL, then CHECKPOINT if allowed)
 * where rows were blanked or deleted, plus those whose earlier rewrite failed (erasure_rewrites, migration 0030).
 */

/** Every table a parent's personal data may be written to (text, phone, name, chat id, ID number). */
export const PERSONAL_TABLES = [
  'messages',
  'cases',
  'case_events',
  'outbox',
  'conversations',
  'processed_inbound',
  'telegram_message_cases',
  'telegram_callbacks',
  'gap_groups',
  'web_messages',
  'web_sessions',
] as const;

export type PersonalTable = (typeof PERSONAL_TABLES)[number];

/** What to do when the role may not rewrite the tables: said with every problem. */
const ADVICE =
  'erased texts stay in the PostgreSQL table files until the tables are rewritten. Let the bot role own its tables ' +
  '(docs/DEPLOY.md, PostgreSQL grants) or run VACUUM FULL on them as their owner; the nightly retention-purge tries again.';

const PERSONAL = new Set<string>(PERSONAL_TABLES);

/**
 * Clears the bytes an erase or purge left in the files of `touched` (the tables where it blanked or deleted
 * rows; empty when it changed nothing). Returns the problem or null; never throws: the erase itself has
 * committed and the parent has been told.
 *
 * PostgreSQL: the touched tables are marked in erasure_rewrites first (a crash mid-rewrite leaves the mark),
 * then every marked table is rewritten: the touched ones and those an earlier rewrite, on any instance, did
 * not finish. A rewritten table's mark goes; a failed one keeps it with the reason, for /healthz
 * (erasureProblem) and the next purge. No other table is rewritten: VACUUM FULL holds the table's ACCESS
 * EXCLUSIVE lock (seconds on a large table), and every instance's statements on it wait meanwhile.
 *
 * SQLite: the write-ahead log is checkpointed and truncated whatever was touched (cheap, no table is
 * rewritten, secure_delete zeroed the freed space already); a checkpoint that fails marks the touched tables
 * with the reason, and the next successful one clears the marks.
 */
export async function clearErasedBytes(db: Db, touched: readonly PersonalTable[], now = new Date()): Promise<string | null> {
  try {
    if (!db.reclaim) {
      try {
        // Frames a concurrent reader still sees stay until the next checkpoint (docs/PRIVACY.md).
        await db.checkpoint?.();
      } catch (error) {
        const problem = `clearing erased bytes failed: ${(error as Error).message}`;
        const pending = await pendingRewrites(db);
        for (const table of new Set([...touched, ...pending.map((p) => p.table)])) await recordRewriteFailure(db, table, problem, now);
        return problem;
      }
      for (const mark of await pendingRewrites(db)) await clearRewriteMark(db, mark.table, mark.generation);
      return null;
    }
    await markRewritesNeeded(db, touched, now);
    const pending = (await pendingRewrites(db)).filter((p) => PERSONAL.has(p.table));
    if (pending.length === 0) return null;
    const { failed } = await db.reclaim(pending.map((p) => p.table));
    for (const mark of pending) {
      const failure = failed.find((f) => f.table === mark.table);
      if (failure) await recordRewriteFailure(db, mark.table, `VACUUM FULL did not rewrite ${mark.table}: ${failure.reason}`, now);
      else await clearRewriteMark(db, mark.table, mark.generation);
    }
    return failed.length ? `VACUUM FULL did not rewrite ${failed.map((f) => `${f.table}: ${f.reason}`).join('; ')}: ${ADVICE}` : null;
  } catch (error) {
    return `clearing erased bytes failed: ${(error as Error).message}`;
  }
}

/**
 * Why erased bytes may still be on disk right now, from the database (any instance's erase or purge), for
 * /healthz: the tables not yet rewritten and the reason; null when there are none.
 */
export async function erasureProblem(db: Db): Promise<string | null> {
  const pending = await pendingRewrites(db);
  if (pending.length === 0) return null;
  const tables = pending.map((p) =>
    p.problem ? `${p.problem} (since ${p.failedAt ?? p.markedAt})` : `${p.table}: rewrite pending since ${p.markedAt}`,
  );
  return `${tables.join('; ')}: ${db.reclaim ? ADVICE : 'the next checkpoint clears them (nightly retention-purge).'}`;
}
