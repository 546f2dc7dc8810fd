import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../core/errors.js';
import { isPostgresUrl } from './pg-url.js';

/**
 * A pid file next to the database (`<DATABASE_PATH>.pid`) that says a bot is
 * running on it, so `db restore` can refuse to pull the file from under it.
 * A pid file whose process is gone (a crash, SIGKILL) is stale and ignored.
 */
const lockPath = (dbPath: string) => `${dbPath}.pid`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of a live bot using `dbPath`, or null. */
export function runningInstance(dbPath: string): number | null {
  if (isPostgresUrl(dbPath)) return null;
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(lockPath(dbPath), 'utf8'), 10);
  } catch {
    return null;
  }
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : null;
}

/** Marks `dbPath` as used by this process; returns the release function. */
export function acquireInstanceLock(dbPath: string): () => void {
  // PostgreSQL serves any number of instances (instances-repo.ts keeps track of them).
  if (dbPath === ':memory:' || isPostgresUrl(dbPath)) return () => undefined;
  const other = runningInstance(dbPath);
  if (other !== null)
    throw new AppError(
      'storage_failed',
      `Another CivicDesk (pid ${other}) is already running on ${dbPath}. Stop it first, or set DATABASE_PATH to another file.`,
    );
  mkdirSync(dirname(dbPath), { recursive: true });
  writeFileSync(lockPath(dbPath), String(process.pid));
  return () => rmSync(lockPath(dbPath), { force: true });
}
