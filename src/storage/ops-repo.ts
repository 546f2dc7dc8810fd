import type { Db } from './db.js';
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
 * Writes this instance's heartbeat row: the health check's proof that the
 * database still takes writes. Null when it did, else what stops it.
 */
export async function writeHeartbeat(db: Db, instance: string, now: Date): Promise<StorageCondition | null> {
  try {
    await db.run('INSERT INTO heartbeat (instance, at) VALUES (?, ?) ON CONFLICT (instance) DO UPDATE SET at = excluded.at', [
      instance,
      now.toISOString(),
    ]);
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
