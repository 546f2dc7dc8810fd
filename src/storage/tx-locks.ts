import type { Db } from './db.js';

/**
 * Locks `key` until the transaction `tx` ends, for a transaction that looks
 * something up and then writes depending on what it found (an idempotency key,
 * a migration): on PostgreSQL the second of two such transactions waits at the
 * lock and its following statements see what the first committed (READ
 * COMMITTED takes a fresh snapshot per statement). Only transactions that lock
 * the same key wait for each other. On SQLite BEGIN IMMEDIATE already runs
 * writing transactions one at a time, so it does nothing.
 */
export async function lockKey(tx: Db, key: string): Promise<void> {
  if (tx.dialect !== 'postgres') return;
  await tx.get("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':' || ?)) AS locked", [key]);
}
