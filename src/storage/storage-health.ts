/**
 * What a storage failure means for the people running CivicDesk, and how many
 * writes failed since the process started (for /metrics). Classification reads
 * the driver's error text, kept in the AppError message by db.ts (SQLite codes
 * here; a PostgreSQL backend maps its own codes to the same words).
 */
export type StorageCondition = 'read-only' | 'disk full' | 'locked' | 'error';

export function classifyStorageError(error: unknown): StorageCondition {
  const text = messages(error);
  if (/SQLITE_READONLY|read-only|readonly|EROFS|EACCES|EPERM/i.test(text)) return 'read-only';
  if (/SQLITE_FULL|ENOSPC|disk is full|No space left|disk_full|53100/i.test(text)) return 'disk full';
  if (/SQLITE_BUSY|SQLITE_LOCKED|database is locked/i.test(text)) return 'locked';
  return 'error';
}

function messages(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1)
    parts.push(e instanceof Error ? e.message : String(e));
  return parts.join(' | ');
}

const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE|BEGIN|COMMIT|CREATE|DROP|ALTER|PRAGMA\s+wal_checkpoint)\b/i;

const failures = new Map<StorageCondition, number>();

/** Counts a failed statement when it was a write (reads failing are not "failed writes"). */
export function noteStatementFailure(sql: string, error: unknown): void {
  if (!WRITE.test(sql)) return;
  const condition = classifyStorageError(error);
  failures.set(condition, (failures.get(condition) ?? 0) + 1);
}

/** Failed writes since start, by condition (monotonic: a Prometheus counter). */
export function writeFailureCounts(): ReadonlyMap<StorageCondition, number> {
  return failures;
}
