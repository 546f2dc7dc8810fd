import type { Db } from './db.js';

/**
 * SQLite's own check of a database file (`PRAGMA integrity_check`), for a backup about to be restored:
 * null when the file is sound, else SQLite's first complaint. PostgreSQL checks its own pages; there it is null.
 */
export async function sqliteIntegrityProblem(db: Db): Promise<string | null> {
  if (db.dialect !== 'sqlite') return null;
  const check = await db.get<{ integrity_check: string }>('PRAGMA integrity_check');
  return check?.integrity_check === 'ok' ? null : (check?.integrity_check ?? 'no answer from integrity_check');
}
