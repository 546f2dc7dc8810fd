import { OPEN_STATES } from '../core/cases/transitions.js';
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

/** A live session as found by its token, with whether a case of its own keeps it (OWNS_LIVE_CASE). */
export interface FoundWebSessionRow extends WebSessionRow {
  keptByCase: number;
}

export interface WebMessageRow {
  id: number;
  role: 'parent' | 'bot';
  payload: string;
  createdAt: string;
}

const SESSION_COLUMNS = 'id, created_at AS createdAt, last_seen_at AS lastSeenAt, expires_at AS expiresAt, notice_seen AS noticeSeen';

/**
 * A session whose chat owns a case the bureau is still handling, or one closed (returned, withdrawn) less than the
 * reopen window ago, is kept past its sliding expiry: a 信访 answer is due in 60 days, a 政府信息公开 answer in about
 * eight weeks, and the parent must still read it, rate it and object to it (REOPEN_DAYS) on the page that filed it.
 * `?` is the reopen cutoff (now − REOPEN_DAYS); a case still open keeps it whatever its age.
 */
const OWNS_LIVE_CASE = `EXISTS (SELECT 1 FROM cases c WHERE c.channel = 'web' AND c.chat_id = web_sessions.id
  AND (c.state IN (${OPEN_STATES.map((s) => `'${s}'`).join(', ')}) OR COALESCE(c.closed_at, c.updated_at) > ?))`;

/** When a session counts as live: within its sliding lifetime, or kept by a case (OWNS_LIVE_CASE). */
export interface SessionClock {
  now: Date;
  /** Days a closed case still keeps its session: the reopen window (config REOPEN_DAYS). */
  reopenDays: number;
}

const liveParams = (clock: SessionClock): [string, string] => [clock.now.toISOString(), new Date(clock.now.getTime() - clock.reopenDays * 86_400_000).toISOString()];

export async function insertWebSession(db: Db, session: { id: string; tokenHash: string; now: Date; expiresAt: Date }): Promise<void> {
  await db.run('INSERT INTO web_sessions (id, token_hash, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
    session.id,
    session.tokenHash,
    session.now.toISOString(),
    session.now.toISOString(),
    session.expiresAt.toISOString(),
  ]);
}

/** Whether session `id` still exists and is live: a parent who left (or erased it) reads nothing more. */
export async function webSessionLive(db: Db, id: string, clock: SessionClock): Promise<boolean> {
  return Boolean(await db.get(`SELECT 1 AS live FROM web_sessions WHERE id = ? AND (expires_at > ? OR ${OWNS_LIVE_CASE})`, [id, ...liveParams(clock)]));
}

/** Whether session `id` is kept by a case of its own (OWNS_LIVE_CASE), whatever its sliding expiry. */
export async function webSessionKeptByCase(db: Db, id: string, clock: SessionClock): Promise<boolean> {
  const [, cutoff] = liveParams(clock);
  return Boolean(await db.get(`SELECT 1 AS kept FROM web_sessions WHERE id = ? AND ${OWNS_LIVE_CASE}`, [id, cutoff]));
}

/** The live session a token hash belongs to, and whether a case keeps it; expired sessions read as none. */
export async function findWebSession(db: Db, tokenHash: string, clock: SessionClock): Promise<FoundWebSessionRow | undefined> {
  const [now, cutoff] = liveParams(clock);
  const row = await db.get<FoundWebSessionRow>(
    `SELECT ${SESSION_COLUMNS}, CASE WHEN ${OWNS_LIVE_CASE} THEN 1 ELSE 0 END AS keptByCase
       FROM web_sessions WHERE token_hash = ? AND (expires_at > ? OR ${OWNS_LIVE_CASE})`,
    [cutoff, tokenHash, now, cutoff],
  );
  return row ? { ...row, keptByCase: Number(row.keptByCase) } : undefined;
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
 * their expiry go (a session's cases keep their own retention); a session kept
 * by a case (OWNS_LIVE_CASE) goes once that case is past the reopen window.
 */
export async function purgeWebData(db: Db, cutoffs: { messages: Date; now: Date; reopenDays: number }): Promise<{ messages: number; sessions: number }> {
  return db.transaction(async (tx) => {
    const [now, reopenCutoff] = liveParams(cutoffs);
    const expired = await tx.all<{ id: string }>(`SELECT id FROM web_sessions WHERE expires_at <= ? AND NOT ${OWNS_LIVE_CASE}`, [now, reopenCutoff]);
    let messages = (await tx.run('DELETE FROM web_messages WHERE created_at < ?', [cutoffs.messages.toISOString()])).changes;
    for (const { id } of expired) messages += (await tx.run('DELETE FROM web_messages WHERE session_id = ?', [id])).changes;
    let sessions = 0;
    for (const { id } of expired) sessions += (await tx.run('DELETE FROM web_sessions WHERE id = ?', [id])).changes;
    await markRewritesNeeded(tx, [...(messages > 0 ? ['web_messages'] : []), ...(sessions > 0 ? ['web_sessions'] : [])], cutoffs.now);
    return { messages, sessions };
  });
}

export async function countLiveWebSessions(db: Db, clock: SessionClock): Promise<number> {
  const row = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM web_sessions WHERE expires_at > ? OR ${OWNS_LIVE_CASE}`, liveParams(clock));
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
