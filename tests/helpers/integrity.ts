import type { Db } from '../../src/storage/db.js';

/**
 * After a process was SIGKILLed: problems the database file itself shows.
 * SQLite: `PRAGMA integrity_check` over the file the killed process wrote.
 * PostgreSQL: the killed process was a client; the server (not killed) keeps
 * its files consistent through its own WAL, so there is no file of ours to
 * check — what a killed client can break (half-written rows) the callers check
 * through their own queries. Returns [] when nothing is wrong.
 */
export async function fileIntegrityProblems(db: Db): Promise<string[]> {
  if (db.dialect !== 'sqlite') return [];
  const rows = await db.all<{ integrity_check: string }>('PRAGMA integrity_check');
  return rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
}
