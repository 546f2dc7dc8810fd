import type { Db } from './db.js';

/**
 * "Erased means gone from disk" (docs/PRIVACY.md). Clearing a column or deleting a row leaves the old bytes
 * in the files until the engine reuses the space: SQLite keeps them in its write-ahead log (its free pages are
 * zeroed by secure_delete, db.ts), PostgreSQL keeps the dead row versions in the table, index and TOAST files.
 * After an erase or a retention purge the tables it touched are therefore cleared here: SQLite checkpoints
 * and truncates its log, PostgreSQL rewrites the tables (Db.reclaim: VACUUM FULL, then CHECKPOINT if allowed).
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

interface Problem {
  at: string;
  text: string;
}
let lastProblem: Problem | null = null;

/**
 * Why erased bytes may still be on disk right now (the last clearing failed: PostgreSQL role without the
 * rights, a table kept busy), for /healthz and the log; null when the last clearing succeeded.
 */
export function erasedBytesProblem(): string | null {
  return lastProblem ? `${lastProblem.text} (since ${lastProblem.at})` : null;
}

/** What to do when the role may not rewrite the tables: said with every problem. */
const ADVICE =
  'erased texts stay in the PostgreSQL table files until the tables are rewritten. Let the bot role own its tables ' +
  '(docs/DEPLOY.md, PostgreSQL grants) or run VACUUM FULL on them as their owner; the nightly retention-purge tries again.';

/**
 * Clears the bytes the last erase or purge left in the files of `tables`. Returns the problem (also kept for
 * /healthz) or null; never throws: the erase itself has committed and the parent has been told.
 */
export async function clearErasedBytes(db: Db, tables: readonly PersonalTable[] = PERSONAL_TABLES, now = new Date()): Promise<string | null> {
  let problem: string | null = null;
  try {
    if (db.reclaim) {
      const result = await db.reclaim(tables);
      problem = result.problem ? `${result.problem}: ${ADVICE}` : null;
    } else {
      // SQLite: frames a concurrent reader still sees stay until the next checkpoint (docs/PRIVACY.md).
      await db.checkpoint?.();
    }
  } catch (error) {
    problem = `clearing erased bytes failed: ${(error as Error).message}`;
  }
  lastProblem = problem ? { at: now.toISOString(), text: problem } : null;
  return problem;
}
