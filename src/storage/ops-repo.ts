import type { Db } from './db.js';
import { heartbeat } from './instances-repo.js';
import { classifyStorageError, type StorageCondition } from './storage-health.js';

/** Read-only figures for /healthz and /metrics, computed from the database at scrape time. */

export async function pingDb(db: Db): Promise<boolean> {
  try {
    return (await db.get<{ one: number }>('SELECT 1 AS one'))?.one === 1;
  } catch {
    return false;
  }
}

/**
 * Writes this process's row in `instances` (its heartbeat): the health check's proof that the database
 * still takes writes, and the same liveness mark the outbox and /healthz's instance list read. Null when
 * the write went through, else what stops it. (Earlier versions wrote the `heartbeat` table of migration
 * 0009, which nothing reads or writes now; it stays until a later release drops it, so an instance of the
 * previous version keeps passing its health check during a rolling upgrade.)
 */
export async function writeHeartbeat(db: Db, instance: string, now: Date): Promise<StorageCondition | null> {
  try {
    await heartbeat(db, instance, now);
    return null;
  } catch (error) {
    return classifyStorageError(error);
  }
}

export async function messageCounts(db: Db): Promise<{ intent: string; answered: number; count: number }[]> {
  return db.all('SELECT intent, answered, COUNT(*) AS count FROM messages GROUP BY intent, answered');
}

export async function caseCountsByState(db: Db): Promise<{ state: string; count: number }[]> {
  return db.all('SELECT state, COUNT(*) AS count FROM cases GROUP BY state');
}

export async function outboxDepth(db: Db): Promise<{ target: string; count: number }[]> {
  return db.all("SELECT target, COUNT(*) AS count FROM outbox WHERE state IN ('pending', 'sending') GROUP BY target");
}

export async function jobRunCounts(db: Db): Promise<{ job: string; status: string; count: number }[]> {
  return db.all('SELECT job, status, COUNT(*) AS count FROM job_runs GROUP BY job, status');
}
