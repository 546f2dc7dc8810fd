import { maskJsonText } from '../core/privacy/mask-json.js';
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
  /** When the row was queued (ISO): senders give up on a failing row by its age, not only its attempts. */
  createdAt: string;
}

const ROW_COLUMNS = `id, target, address, payload, case_id AS caseId, state, attempts,
  parts_sent AS partsSent, next_attempt_at AS nextAttemptAt, created_at AS createdAt`;

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
export async function claimOutbox(db: Db, id: number, owner: string | null = null): Promise<boolean> {
  const result = await db.run(
    "UPDATE outbox SET state = 'sending', attempts = attempts + 1, claimed_by = ? WHERE id = ? AND state = 'pending'",
    [owner, id],
  );
  return result.changes > 0;
}

/**
 * Claims the due heads of up to `limit` chats in one statement and returns
 * them (attempts already counted), oldest first. On PostgreSQL the candidate
 * rows are locked FOR UPDATE SKIP LOCKED, so instances draining at the same
 * moment take disjoint rows without waiting for each other; a chat's next
 * row only becomes a head once its older row is sent or dead, whichever
 * instance sent it, so per-chat order holds across instances.
 */
export async function claimDueOutboxHeads(
  db: Db,
  target: OutboxTarget,
  now: Date,
  options: { limit: number; excludeAddresses?: string[]; owner: string },
): Promise<OutboxRow[]> {
  const lock = db.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
  const rows = await db.all<OutboxRow>(
    // MATERIALIZED: the candidates are picked (and locked) once; as a plain IN (subquery) PostgreSQL
    // may run the LIMITed subquery again per row and claim more rows than asked.
    `WITH picked AS MATERIALIZED (
        SELECT o.id FROM outbox o
         WHERE o.target = ? AND o.state = 'pending' AND o.next_attempt_at <= ?
           AND o.address NOT IN (SELECT value FROM json_each(?))
           AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.target = o.target AND p.address = o.address
                             AND p.state IN ('pending', 'sending') AND p.id < o.id)
         ORDER BY o.id LIMIT ? ${lock})
     UPDATE outbox SET state = 'sending', attempts = attempts + 1, claimed_by = ?
      WHERE id IN (SELECT id FROM picked) AND state = 'pending'
      RETURNING ${ROW_COLUMNS}`,
    [target, now.toISOString(), JSON.stringify(options.excludeAddresses ?? []), options.limit, options.owner],
  );
  return rows.sort((a, b) => a.id - b.id);
}

export async function markOutboxProgress(db: Db, id: number, partsSent: number): Promise<void> {
  await db.run('UPDATE outbox SET parts_sent = ? WHERE id = ?', [partsSent, id]);
}

/**
 * Sent: the row is kept `RETENTION_MESSAGE_DAYS` (dedupe, delivery checks), its payload from now on with phones and ID
 * numbers masked. Until it was sent it held what the message needs to say (a staff reply naming the school's number);
 * after it, nothing reads the text again (a row that died keeps it: it may go out again when the chat is reachable).
 */
export async function markOutboxSent(db: Db, id: number, now: Date): Promise<void> {
  const row = await db.get<{ payload: string }>('SELECT payload FROM outbox WHERE id = ?', [id]);
  const payload = row ? maskJsonText(row.payload) : null;
  await db.run("UPDATE outbox SET state = 'sent', sent_at = ?, last_error = NULL, payload = COALESCE(?, payload) WHERE id = ?", [now.toISOString(), payload, id]);
}

/** Back to 'pending' until `at`. A rate-limit wait is not a failed attempt (`countAttempt: false`). */
export async function retryOutboxAt(db: Db, id: number, at: Date, error: string, countAttempt = true): Promise<void> {
  await db.run(
    `UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ?,
       attempts = attempts - ? WHERE id = ?`,
    [at.toISOString(), error.slice(0, 500), countAttempt ? 0 : 1, id],
  );
}

/**
 * The wall clock stepped back by `stepMs` (it ran fast and was corrected): retries scheduled while it was fast
 * (`last_error` set, still ahead of `now`) are moved back by the step, never before `now`. Rows queued to go
 * out later on purpose (no error yet) keep their time. Returns how many rows moved.
 */
export async function pullBackRetries(db: Db, target: OutboxTarget, stepMs: number, now: Date): Promise<number> {
  const rows = await db.all<{ id: number; at: string }>(
    `SELECT id, next_attempt_at AS at FROM outbox
      WHERE target = ? AND state = 'pending' AND last_error IS NOT NULL AND next_attempt_at > ?`,
    [target, now.toISOString()],
  );
  for (const row of rows) {
    const at = new Date(Math.max(now.getTime(), Date.parse(row.at) - stepMs));
    await db.run("UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND state = 'pending'", [at.toISOString(), row.id]);
  }
  return rows.length;
}

/**
 * The citizen of a chat can be reached again (they wrote after blocking the bot): its case messages that died on
 * "blocked / chat not found" go out again, oldest first, ahead of newer rows of the chat. The notice of the
 * 联系不上 transition itself is not sent (it would tell a parent who just wrote that they could not be reached).
 * Returns how many rows were queued again.
 */
export async function requeueUndeliveredCaseMessages(db: Db, target: OutboxTarget, address: string, now: Date): Promise<number> {
  const result = await db.run(
    `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL, claimed_by = NULL
      WHERE target = ? AND address = ? AND state = 'dead' AND case_id IS NOT NULL
        AND (last_error LIKE '%403%' OR last_error LIKE '%chat not found%' OR last_error LIKE '%user not found%')
        AND NOT EXISTS (SELECT 1 FROM case_events e
                         WHERE e.case_id = outbox.case_id AND e.to_state = 'unreachable'
                           AND outbox.dedupe_key = 'case-event:' || e.id || ':citizen')`,
    [now.toISOString(), target, address],
  );
  return result.changes;
}

/**
 * A Telegram group became a supergroup with a new chat id: its messages not yet sent (waiting, or the one being
 * sent) follow it to `to`. Returns how many rows moved.
 */
export async function readdressUnsentOutbox(db: Db, target: OutboxTarget, from: string, to: string): Promise<number> {
  const result = await db.run("UPDATE outbox SET address = ? WHERE target = ? AND address = ? AND state IN ('pending', 'sending')", [to, target, from]);
  return result.changes;
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
  const result = await db.run("UPDATE outbox SET state = 'pending', claimed_by = NULL WHERE target = ? AND state = 'sending'", [target]);
  return result.changes;
}

/**
 * With several instances: requeues rows claimed by no one or by an instance
 * (process) whose heartbeat is older than `aliveSince` or gone (it died, or
 * restarted: registerInstance drops its previous lives); rows of live
 * instances are theirs to finish.
 */
export async function requeueOrphanedOutbox(db: Db, target: OutboxTarget, aliveSince: Date): Promise<number> {
  const result = await db.run(
    `UPDATE outbox SET state = 'pending', claimed_by = NULL
      WHERE target = ? AND state = 'sending'
        AND (claimed_by IS NULL
             OR NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = outbox.claimed_by AND i.heartbeat_at >= ?))`,
    [target, aliveSince.toISOString()],
  );
  return result.changes;
}

/** Rows not yet delivered (pending or in flight), in all and per target: what a stopping process leaves for the next start. */
export async function pendingOutboxCounts(db: Db): Promise<{ total: number; byTarget: Record<string, number> }> {
  const rows = await db.all<{ target: string; n: number }>(
    "SELECT target, COUNT(*) AS n FROM outbox WHERE state IN ('pending', 'sending') GROUP BY target ORDER BY target",
  );
  const byTarget = Object.fromEntries(rows.map((r) => [r.target, Number(r.n)]));
  return { total: rows.reduce((sum, r) => sum + Number(r.n), 0), byTarget };
}

export async function getOutboxRow(db: Db, id: number): Promise<OutboxRow | undefined> {
  return db.get<OutboxRow>(`SELECT ${ROW_COLUMNS} FROM outbox WHERE id = ?`, [id]);
}

/** The delivery state of the message queued under `dedupeKey` ('pending' | 'sending' | 'sent' | 'dead'), or null. */
export async function outboxStateByKey(db: Db, dedupeKey: string): Promise<{ state: string; lastError: string | null } | null> {
  const row = await db.get<{ state: string; last_error: string | null }>('SELECT state, last_error FROM outbox WHERE dedupe_key = ?', [dedupeKey]);
  return row ? { state: row.state, lastError: row.last_error } : null;
}
