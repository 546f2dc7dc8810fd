import { openDb, type Db } from './db.js';
import { migrate } from './migrate.js';

/**
 * Opens the database at `path` (creating its folder) and applies pending migrations:
 * what every process (server, CLI, tests) does first.
 *
 * @example const db = await openStore(config.DATABASE_PATH);
 */
export async function openStore(path: string, options: { busyTimeoutMs?: number; sqliteFile?: boolean } = {}): Promise<Db> {
  const db = await openDb(path, options);
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}
