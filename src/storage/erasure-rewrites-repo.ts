import type { Db } from './db.js';

/**
 * The personal tables whose files may still hold erased bytes (migration 0030, erasure_rewrites): marked
 * when an erase or purge blanks or deletes rows in them, kept with the reason when their rewrite failed,
 * cleared when it succeeded (erased-bytes.ts). Shared by every instance through the database.
 */
export interface PendingRewrite {
  table: string;
  /** Grows with every mark: a rewrite clears the mark only if no newer erase marked the table meanwhile. */
  generation: number;
  /** Since when the table has held erased bytes (the first mark not yet cleared). */
  markedAt: string;
  /** Why the last rewrite failed, or null when none has failed yet (in progress, or interrupted). */
  problem: string | null;
  failedAt: string | null;
  /**
   * PostgreSQL: the transaction that last wrote the mark (the row's xmin). Every mark is written inside the erase
   * it stands for (markRewritesNeeded, same transaction), so this is the erase's own transaction: a snapshot whose
   * horizon is not newer than it may still see the erased row versions. Null on SQLite.
   */
  markXid: string | null;
}

/**
 * Marks `tables` as holding erased bytes (a newer mark of an already marked table bumps its generation). Call it
 * with the erase's or purge's own transaction (`tx`), after its statements: the mark then commits with the erase
 * or not at all, so no crash between the two can leave erased bytes on disk that no mark names. Tables are marked
 * in name order, so two erases that mark the same tables wait for each other instead of deadlocking.
 */
export async function markRewritesNeeded(tx: Db, tables: readonly string[], now: Date): Promise<void> {
  for (const table of [...new Set(tables)].sort())
    await tx.run(
      `INSERT INTO erasure_rewrites (table_name, generation, marked_at) VALUES (?, 1, ?)
       ON CONFLICT (table_name) DO UPDATE SET generation = erasure_rewrites.generation + 1`,
      [table, now.toISOString()],
    );
}

/**
 * A mark for each of `tables` that has none (an existing mark, and the transaction it names, stay as they are):
 * the safety net clearErasedBytes applies for a caller that changed a table outside a marking transaction.
 */
export async function ensureRewriteMarks(db: Db, tables: readonly string[], now: Date): Promise<void> {
  for (const table of [...new Set(tables)].sort())
    await db.run(
      'INSERT INTO erasure_rewrites (table_name, generation, marked_at) VALUES (?, 1, ?) ON CONFLICT (table_name) DO NOTHING',
      [table, now.toISOString()],
    );
}

export async function pendingRewrites(db: Db): Promise<PendingRewrite[]> {
  const xid = db.dialect === 'postgres' ? 'xmin::text' : 'NULL';
  const rows = await db.all<{ tableName: string; generation: number | string; markedAt: string; problem: string | null; failedAt: string | null; markXid: string | null }>(
    `SELECT table_name AS tableName, generation, marked_at AS markedAt, problem, failed_at AS failedAt, ${xid} AS markXid FROM erasure_rewrites ORDER BY table_name`,
  );
  return rows.map(({ tableName, generation, ...r }) => ({ table: tableName, generation: Number(generation), ...r }));
}

/** The rewrite of `table` succeeded: its mark goes, unless an erase marked it again since `generation` was read. */
export async function clearRewriteMark(db: Db, table: string, generation: number): Promise<void> {
  await db.run('DELETE FROM erasure_rewrites WHERE table_name = ? AND generation = ?', [table, generation]);
}

/** The rewrite of `table` failed: the mark stays (created if missing) with the reason, for /healthz and the next purge. */
export async function recordRewriteFailure(db: Db, table: string, problem: string, now: Date): Promise<void> {
  await db.run(
    `INSERT INTO erasure_rewrites (table_name, generation, marked_at, problem, failed_at) VALUES (?, 1, ?, ?, ?)
     ON CONFLICT (table_name) DO UPDATE SET problem = excluded.problem, failed_at = excluded.failed_at`,
    [table, now.toISOString(), problem, now.toISOString()],
  );
}
