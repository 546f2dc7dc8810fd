import type { Db } from './db.js';

/**
 * Durable outgoing messages. Rows are written in the same transaction as the
 * change they report (a case transition, a new case), so a committed change
 * is never left unannounced; senders drain them per target.
 *
 * Targets: 'telegram' / 'console' / 'web' (address = chat id or web session id, payload = Reply[]),
 * 'staff' (address = '-', payload = StaffNotice; drained by the Slack desk or
 * the console staff printer, whichever is active).
 */
export type OutboxTarget = 'telegram' | 'console' | 'web' | 'staff' | 'slack';

export interface OutboxInsert {
  target: OutboxTarget;
  address: string;
  payload: unknown;
  caseId?: number | null;
  dedupeKey?: string | null;
  notBefore?: Date;
}

export async function enqueueOutbox(tx: Db, item: OutboxInsert, now: Date): Promise<number | null> {
  const result = await tx.run(
    `INSERT INTO outbox (target, address, payload, case_id, dedupe_key, state, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
    [
      item.target,
      item.address,
      JSON.stringify(item.payload),
      item.caseId ?? null,
      item.dedupeKey ?? null,
      (item.notBefore ?? now).toISOString(),
      now.toISOString(),
    ],
  );
  return result.changes > 0 ? result.lastID : null;
}

// ---- Draining (owned by the Telegram sender; usable by any paced per-address sender) ----

/** An outbox row as a sender sees it. `payload` is the raw JSON text. */
export interface OutboxRow {
  id: number;
  target: string;
  address: string;
  payload: string;
  caseId: number | null;
  state: 'pending' | 'sending' | 'sent' | 'dead';
  attempts: number;
  partsSent: number;
  nextAttemptAt: string;
}

const ROW_COLUMNS = `id, target, address, payload, case_id AS caseId, state, attempts,
  parts_sent AS partsSent, next_attempt_at AS nextAttemptAt`;

/**
 * The oldest unfinished row of each address that is due now, oldest first.
 * A row waits while an older row of the same address is pending or sending,
 * which keeps per-chat order even when that older row is backing off.
 */
export async function dueOutboxHeads(
  db: Db,
  target: OutboxTarget,
  now: Date,
  options: { limit: number; excludeAddresses?: string[] },
): Promise<OutboxRow[]> {
  return db.all<OutboxRow>(
    `SELECT ${ROW_COLUMNS} FROM outbox o
      WHERE o.target = ? AND o.state = 'pending' AND o.next_attempt_at <= ?
        AND o.address NOT IN (SELECT value FROM json_each(?))
        AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.target = o.target AND p.address = o.address
                          AND p.state IN ('pending', 'sending') AND p.id < o.id)
      ORDER BY o.id LIMIT ?`,
    [target, now.toISOString(), JSON.stringify(options.excludeAddresses ?? []), options.limit],
  );
}

/** Moves a pending row to 'sending'; false when another drainer took it first. */
export async function claimOutbox(db: Db, id: number): Promise<boolean> {
  const result = await db.run("UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ? AND state = 'pending'", [id]);
  return result.changes > 0;
}

export async function markOutboxProgress(db: Db, id: number, partsSent: number): Promise<void> {
  await db.run('UPDATE outbox SET parts_sent = ? WHERE id = ?', [partsSent, id]);
}

export async function markOutboxSent(db: Db, id: number, now: Date): Promise<void> {
  await db.run("UPDATE outbox SET state = 'sent', sent_at = ?, last_error = NULL WHERE id = ?", [now.toISOString(), id]);
}

/** Back to 'pending' until `at`. A rate-limit wait is not a failed attempt (`countAttempt: false`). */
export async function retryOutboxAt(db: Db, id: number, at: Date, error: string, countAttempt = true): Promise<void> {
  await db.run(
    `UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ?,
       attempts = attempts - ? WHERE id = ?`,
    [at.toISOString(), error.slice(0, 500), countAttempt ? 0 : 1, id],
  );
}

/** Never retried again (blocked by the user, a permanent 400, too many attempts). */
export async function markOutboxDead(db: Db, id: number, error: string, now: Date): Promise<void> {
  await db.run("UPDATE outbox SET state = 'dead', last_error = ?, sent_at = NULL, next_attempt_at = ? WHERE id = ?", [
    error.slice(0, 500),
    now.toISOString(),
    id,
  ]);
}

/**
 * After a restart: rows left in 'sending' by a process that died go back to
 * 'pending' and continue from `parts_sent` (at-least-once for the one message
 * that was in flight per chat; everything else exactly once).
 */
export async function requeueInterruptedOutbox(db: Db, target: OutboxTarget): Promise<number> {
  const result = await db.run("UPDATE outbox SET state = 'pending' WHERE target = ? AND state = 'sending'", [target]);
  return result.changes;
}

export async function getOutboxRow(db: Db, id: number): Promise<OutboxRow | undefined> {
  return db.get<OutboxRow>(`SELECT ${ROW_COLUMNS} FROM outbox WHERE id = ?`, [id]);
}
