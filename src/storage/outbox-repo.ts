import type { Db } from './db.js';

/**
 * Durable outgoing messages. Rows are written in the same transaction as the
 * change they report (a case transition, a new case), so a committed change
 * is never left unannounced; senders drain them per target.
 *
 * Targets: 'telegram' / 'console' (address = chat id, payload = Reply[]),
 * 'staff' (address = '-', payload = StaffNotice; drained by the Slack desk or
 * the console staff printer, whichever is active).
 */
export type OutboxTarget = 'telegram' | 'console' | 'staff' | 'slack';

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
