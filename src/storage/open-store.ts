import { AppError } from '../core/errors.js';
import { DAMAGED_HINT, openDb, type Db } from './db.js';
import { migrate } from './migrate.js';

/**
 * Opens the database at `path` (creating its folder) and applies pending migrations:
 * what every process (server, CLI, tests) does first.
 *
 * @example const db = await openStore(config.DATABASE_PATH);
 */
export async function openStore(path: string, options: { busyTimeoutMs?: number; sqliteFile?: boolean } = {}): Promise<Db> {
  const db = await openDb(path, options).catch((error: unknown) => {
    // "file is not a database" comes from the first statement, which does not know the file's name.
    const message = error instanceof Error ? error.message : String(error);
    if (!/SQLITE_(NOTADB|CORRUPT)/.test(message) || message.includes(path)) throw error;
    throw new AppError('storage_failed', message.replace(/^Database error: /, `Database error: ${path}: `), { cause: error });
  });
  try {
    await refuseDamaged(db, path);
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}

/**
 * SQLite's quick check (every page and index readable; milliseconds for a bureau's database) before any
 * write: a damaged file stops the start with a message naming it, instead of a bot that fails at random
 * statements later. A file that is not SQLite at all fails earlier, when it is opened, with the same hint.
 */
async function refuseDamaged(db: Db, path: string): Promise<void> {
  if (db.dialect !== 'sqlite' || path === ':memory:') return;
  let problems: string[];
  try {
    const rows = await db.all<{ quick_check: string }>('PRAGMA quick_check(3)');
    problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!/SQLITE_(NOTADB|CORRUPT)/.test(message)) throw error;
    problems = ['database disk image is malformed']; // so damaged that the check itself could not read it
  }
  if (problems.length === 0) return;
  throw new AppError('storage_failed', `Database error: ${path} failed SQLite's check (${problems.join('; ').slice(0, 300)}). ${DAMAGED_HINT}`);
}
