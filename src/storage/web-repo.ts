import type { Db } from './db.js';
import { clearErasedBytes } from './erased-bytes.js';
import { markRewritesNeeded } from './erasure-rewrites-repo.js';

/**
 * Web chat storage: anonymous sessions (keyed by the SHA-256 of the cookie
 * token) and each session's transcript, which is also the mailbox an offline
 * session reads at its next visit.
 */

export interface WebSessionRow {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  noticeSeen: number;
}

export interface WebMessageRow {
  id: number;
  role: 'parent' | 'bot';
  payload: string;
  createdAt: string;
}

const SESSION_COLUMNS = 'id, created_at AS createdAt, last_seen_at AS lastSeenAt, expires_at AS expiresAt, notice_seen AS noticeSeen';

export async function insertWebSession(db: Db, session: { id: string; tokenHash: string; now: Date; expiresAt: Date }): Promise<void> {
  await db.run('INSERT INTO web_sessions (id, token_hash, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
    session.id,
    session.tokenHash,
    session.now.toISOString(),
    session.now.toISOString(),
    session.expiresAt.toISOString(),
  ]);
}

/** Whether session `id` still exists and has not expired: a parent who left (or erased it) reads nothing more. */
export async function webSessionLive(db: Db, id: string, now: Date): Promise<boolean> {
  return Boolean(await db.get('SELECT 1 AS live FROM web_sessions WHERE id = ? AND expires_at > ?', [id, now.toISOString()]));
}

/** The live session a token hash belongs to; expired sessions read as none. */
export async function findWebSession(db: Db, tokenHash: string, now: Date): Promise<WebSessionRow | undefined> {
  return db.get<WebSessionRow>(`SELECT ${SESSION_COLUMNS} FROM web_sessions WHERE token_hash = ? AND expires_at > ?`, [
    tokenHash,
    now.toISOString(),
  ]);
}

/** Sliding lifetime: every visit moves the expiry. */
export async function touchWebSession(db: Db, id: string, now: Date, expiresAt: Date): Promise<void> {
  await db.run('UPDATE web_sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?', [now.toISOString(), expiresAt.toISOString(), id]);
}

export async function markWebNoticeSeen(db: Db, id: string): Promise<void> {
  await db.run('UPDATE web_sessions SET notice_seen = 1 WHERE id = ?', [id]);
}

export async function appendWebMessage(
  db: Db,
  message: { sessionId: string; role: 'parent' | 'bot'; payload: unknown; outboxId?: number | null; part?: number; now: Date },
): Promise<number | null> {
  const result = await db.run(
    `INSERT INTO web_messages (session_id, role, payload, outbox_id, part, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (outbox_id, part) DO NOTHING`,
    [message.sessionId, message.role, JSON.stringify(message.payload), message.outboxId ?? null, message.part ?? 0, message.now.toISOString()],
  );
  return result.changes > 0 ? result.lastID : null;
}

/** A session's transcript after `afterId`, oldest first. */
export async function webMessagesAfter(db: Db, sessionId: string, afterId: number, limit: number): Promise<WebMessageRow[]> {
  return db.all<WebMessageRow>(
    'SELECT id, role, payload, created_at AS createdAt FROM web_messages WHERE session_id = ? AND id > ? ORDER BY id LIMIT ?',
    [sessionId, afterId, limit],
  );
}

/** The latest `limit` lines of a session, oldest first (the history shown on reopening the page). */
export async function latestWebMessages(db: Db, sessionId: string, limit: number): Promise<WebMessageRow[]> {
  const rows = await db.all<WebMessageRow>(
    'SELECT id, role, payload, created_at AS createdAt FROM web_messages WHERE session_id = ? ORDER BY id DESC LIMIT ?',
    [sessionId, limit],
  );
  return rows.reverse();
}

export async function getWebMessage(db: Db, sessionId: string, id: number): Promise<WebMessageRow | undefined> {
  return db.get<WebMessageRow>('SELECT id, role, payload, created_at AS createdAt FROM web_messages WHERE session_id = ? AND id = ?', [
    sessionId,
    id,
  ]);
}

/**
 * Erase: the transcript, any message still waiting for the session, and the session itself; then their
 * bytes leave the files (clearErasedBytes). Returns why they may not have (also on /healthz), or null.
 */
export async function deleteWebSession(db: Db, id: string, now: Date): Promise<string | null> {
  const touched = await db.transaction(async (tx) => {
    const deleted = {
      web_messages: (await tx.run('DELETE FROM web_messages WHERE session_id = ?', [id])).changes,
      outbox: (await tx.run("DELETE FROM outbox WHERE target = 'web' AND address = ?", [id])).changes,
      web_sessions: (await tx.run('DELETE FROM web_sessions WHERE id = ?', [id])).changes,
    };
    const changed = (Object.keys(deleted) as (keyof typeof deleted)[]).filter((table) => deleted[table] > 0);
    await markRewritesNeeded(tx, changed, now); // commits with the erase, or not at all
    return changed;
  });
  return clearErasedBytes(db, touched, now);
}

/**
 * Retention: transcript lines older than the message cutoff and sessions past
 * their expiry go (a session's cases keep their own retention).
 */
export async function purgeWebData(db: Db, cutoffs: { messages: Date; now: Date }): Promise<{ messages: number; sessions: number }> {
  return db.transaction(async (tx) => {
    const expired = await tx.all<{ id: string }>('SELECT id FROM web_sessions WHERE expires_at <= ?', [cutoffs.now.toISOString()]);
    let messages = (await tx.run('DELETE FROM web_messages WHERE created_at < ?', [cutoffs.messages.toISOString()])).changes;
    for (const { id } of expired) messages += (await tx.run('DELETE FROM web_messages WHERE session_id = ?', [id])).changes;
    const sessions = (await tx.run('DELETE FROM web_sessions WHERE expires_at <= ?', [cutoffs.now.toISOString()])).changes;
    await markRewritesNeeded(tx, [...(messages > 0 ? ['web_messages'] : []), ...(sessions > 0 ? ['web_sessions'] : [])], cutoffs.now);
    return { messages, sessions };
  });
}

export async function countLiveWebSessions(db: Db, now: Date): Promise<number> {
  const row = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM web_sessions WHERE expires_at > ?', [now.toISOString()]);
  return row?.n ?? 0;
}

export type WebInboundClaim = 'fresh' | 'unfinished' | 'seen';

/**
 * Claims a browser-generated message id for a turn, under `owner` (this process: the instance's owner, or 'web'
 * with one process). 'fresh': first time; 'seen': a turn of it ran to its end (finishWebInbound) or is running on
 * another live instance; 'unfinished': a turn of it started and never ended — the process was killed (SIGKILL) or
 * the database failed between the engine and the end — so the resend is handled again (the filing is idempotent by
 * its key, the outbox by the message's key) and the parent gets the answer, a case code, that was lost.
 */
export async function claimWebInbound(db: Db, key: string, now: Date, claimant: { owner: string; aliveSince: Date | null }): Promise<WebInboundClaim> {
  const at = now.toISOString();
  const inserted = await db.run(
    "INSERT INTO processed_inbound (source, key, at, handled_by) VALUES ('web', ?, ?, ?) ON CONFLICT (source, key) DO NOTHING",
    [key, at, claimant.owner],
  );
  if (inserted.changes > 0) return 'fresh';
  // This process's own claim (its turns of one session run one at a time, so it is not running now), one from a
  // previous life of a single process, or one of an instance that stopped beating.
  const taken = await db.run(
    `UPDATE processed_inbound SET handled_by = ?, at = ?
      WHERE source = 'web' AND key = ? AND handled_by IS NOT NULL
        AND (handled_by = ? OR ? = 0 OR NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = processed_inbound.handled_by AND i.heartbeat_at >= ?))`,
    [claimant.owner, at, key, claimant.owner, claimant.aliveSince ? 1 : 0, (claimant.aliveSince ?? now).toISOString()],
  );
  return taken.changes > 0 ? 'unfinished' : 'seen';
}

/** Whether replies were queued under `dedupeKey` (a turn that got as far as queuing them: TurnOptions.deliver). */
export async function webRepliesQueued(db: Db, dedupeKey: string): Promise<boolean> {
  return (await db.get("SELECT 1 AS queued FROM outbox WHERE target = 'web' AND dedupe_key = ?", [dedupeKey])) !== undefined;
}

/** The turn of a claimed message ran to its end (its replies queued, the conversation saved): a resend is a duplicate. */
export async function finishWebInbound(db: Db, key: string): Promise<void> {
  await db.run("UPDATE processed_inbound SET handled_by = NULL WHERE source = 'web' AND key = ?", [key]);
}

/** The session's conversation as the engine stored it: chosen language and flow state (JSON). */
export async function webConversation(db: Db, sessionId: string): Promise<{ locale: string | null; state: string | null } | undefined> {
  return db.get<{ locale: string | null; state: string | null }>("SELECT locale, state_json AS state FROM conversations WHERE channel = 'web' AND chat_id = ?", [
    sessionId,
  ]);
}
