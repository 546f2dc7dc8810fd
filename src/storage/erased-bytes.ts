import type { Db } from './db.js';
import { clearRewriteMark, ensureRewriteMarks, pendingRewrites, recordRewriteFailure, type PendingRewrite } from './erasure-rewrites-repo.js';

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
 * The erase or purge marked the touched tables in erasure_rewrites inside its own transaction
 * (markRewritesNeeded), so a crash after it committed, before or during the rewrite, leaves the marks and the
 * next purge or /healthz finds them; a table touched without a mark gets one here (ensureRewriteMarks).
 *
 * PostgreSQL: every marked table is rewritten: the touched ones and those an earlier rewrite, on any instance, did
 * not finish. A rewritten table's mark goes; a failed one keeps it with the reason, for /healthz
 * (erasureProblem) and the next purge. No other table is rewritten: VACUUM FULL holds the table's ACCESS
 * EXCLUSIVE lock (seconds on a large table), and every instance's statements on it wait meanwhile.
 *
 * SQLite: the write-ahead log is checkpointed and truncated whatever was touched (cheap, no table is
 * rewritten, secure_delete zeroed the freed space already); a checkpoint that fails marks the touched tables
 * with the reason, and the next successful one clears the marks.
 */
export async function clearErasedBytes(db: Db, touched: readonly PersonalTable[], now: Date): Promise<string | null> {
  try {
    await ensureRewriteMarks(db, touched, now);
    if (db.dialect === 'sqlite') return await checkpointLog(db, touched, now);
    if (!db.reclaim) return 'clearing erased bytes failed: called inside a transaction (VACUUM FULL cannot run there).';
    const pending = (await pendingRewrites(db)).filter((p) => PERSONAL.has(p.table));
    if (pending.length === 0) return null;
    const { failed, kept } = await db.reclaim(pending.map((p) => ({ table: p.table, erasedBefore: p.markXid })));
    const problems: string[] = [];
    for (const mark of pending) {
      const failure = failed.find((f) => f.table === mark.table);
      const keeping = kept.find((k) => k.table === mark.table);
      const problem = failure
        ? `VACUUM FULL did not rewrite ${mark.table}: ${failure.reason}`
        : keeping
          ? `${mark.table} still holds erased row versions: ${keeping.reason}`
          : null;
      if (problem) {
        await recordRewriteFailure(db, mark.table, problem, now);
        problems.push(problem);
      } else await clearRewriteMark(db, mark.table, mark.generation);
    }
    return problems.length ? `${problems.join('; ')}${failed.length ? `: ${ADVICE}` : ''}` : null;
  } catch (error) {
    return `clearing erased bytes failed: ${(error as Error).message}`;
  }
}

/**
 * SQLite: a TRUNCATE checkpoint copies the log into the database file and empties it. Another connection to
 * the file that is reading (a backup tool, a sqlite3 shell, a second process) keeps the frames its snapshot
 * needs: then the erased pages are still in the log (and the old ones in the file), and the marks stay.
 */
async function checkpointLog(db: Db, touched: readonly PersonalTable[], now: Date): Promise<string | null> {
  let problem: string | null = null;
  try {
    if (!(await db.checkpoint?.()))
      problem =
        'the write-ahead log still holds erased bytes: another connection to the database file (a backup, a sqlite3 ' +
        'shell, a second process) was reading during the checkpoint; retried at the next purge. If it stays, find the ' +
        `process that keeps ${db.path} open (fuser, lsof) and end it`;
  } catch (error) {
    problem = `clearing erased bytes failed: ${(error as Error).message}`;
  }
  const pending = await pendingRewrites(db);
  if (problem) {
    for (const table of new Set([...touched, ...pending.map((p) => p.table)])) await recordRewriteFailure(db, table, problem, now);
    return problem;
  }
  for (const mark of pending) await clearRewriteMark(db, mark.table, mark.generation);
  return null;
}

/**
 * Why erased bytes may still be on disk right now, from the database (any instance's erase or purge), for
 * /healthz: the tables not yet rewritten and the reason; null when there are none.
 */
export async function erasureProblem(db: Db): Promise<string | null> {
  const pending = await pendingRewrites(db);
  if (pending.length === 0) return null;
  // One line per reason: a blocked SQLite checkpoint gives every marked table the same one.
  const byReason = new Map<string, PendingRewrite[]>();
  for (const p of pending) byReason.set(p.problem ?? `pending:${p.table}`, [...(byReason.get(p.problem ?? `pending:${p.table}`) ?? []), p]);
  const tables = [...byReason.values()].map((group) => {
    const [p] = group as [PendingRewrite];
    if (!p.problem) return `${p.table}: rewrite pending since ${p.markedAt}`;
    const named = group.length === 1 && p.problem.includes(p.table) ? p.problem : `${group.map((g) => g.table).join(', ')}: ${p.problem}`;
    return `${named} (since ${p.failedAt ?? p.markedAt})`;
  });
  const rights = pending.some((p) => p.problem?.startsWith('VACUUM FULL did not rewrite'));
  const next = db.dialect === 'postgres' ? 'the nightly retention-purge rewrites them again.' : 'the next checkpoint clears them (nightly retention-purge).';
  return `${tables.join('; ')}: ${rights ? ADVICE : next}`;
}
