import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../../storage/db.js';
import * as repo from '../../storage/web-repo.js';
import { isHttps, isLoopbackHost } from './http.js';

/**
 * Anonymous sessions. The cookie carries 256 random bits; the database keeps
 * only their SHA-256, and the chat id the engine and cases see is a second,
 * unrelated random id, so neither a leaked database nor a case's chat id can
 * be turned back into a cookie. Lifetime slides with every visit, and a session
 * whose chat owns a case is kept until that case is closed and past REOPEN_DAYS
 * (web-repo OWNS_LIVE_CASE): legal answer periods are longer than the lifetime. A session
 * opened by a page view that never sends a message (a crawler, a parent who
 * only looked) lives at most a day, so page views cannot fill the table.
 */
export const UNUSED_SESSION_MS = 86_400_000;
/**
 * The cookie's lifetime while the session is kept by a case (web-repo OWNS_LIVE_CASE): the server, not the cookie,
 * decides how long that is (until the case is closed and its reopen window over), so the browser keeps the cookie as
 * long as browsers allow (RFC 6265bis caps Max-Age at 400 days). A cookie outliving its session opens nothing.
 */
export const CASE_COOKIE_DAYS = 400;
export const COOKIE_NAME = 'cd_chat';
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface SessionOptions {
  db: Db;
  lifetimeDays: number;
  /** REOPEN_DAYS: a session owning a case closed less long ago than this is kept (web-repo OWNS_LIVE_CASE). */
  reopenDays: number;
  trustProxy: boolean;
  now: () => Date;
}

export interface WebSession {
  id: string;
  noticeSeen: boolean;
  createdAt: string;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const randomId = () => randomBytes(32).toString('base64url');

function cookieToken(req: IncomingMessage): string | null {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE_NAME) {
      const value = rest.join('=');
      return TOKEN_PATTERN.test(value) ? value : null;
    }
  }
  return null;
}

export function createSessions(options: SessionOptions) {
  const { db } = options;
  const expiry = (from: Date) => new Date(from.getTime() + options.lifetimeDays * 86_400_000);
  const clock = () => ({ now: options.now(), reopenDays: options.reopenDays });

  /**
   * SameSite=Lax for the page itself. Inside a cross-site iframe (the widget) a
   * Lax cookie is never sent, so there it is SameSite=None; Secure; Partitioned
   * (one session per embedding site), which browsers accept over HTTPS and on
   * loopback. Secure whenever the request came over HTTPS.
   */
  const issued = new WeakMap<ServerResponse, { token: string; embed: boolean; sessionId: string; keptByCase: boolean }>();
  const setCookie = (req: IncomingMessage, res: ServerResponse, token: string, embed: boolean, sessionId: string, keptByCase = false) => {
    issued.set(res, { token, embed, sessionId, keptByCase });
    const https = isHttps(req, options.trustProxy);
    const crossSite = embed && (https || isLoopbackHost(req));
    const attributes = [
      `${COOKIE_NAME}=${token}`,
      'Path=/chat/',
      `Max-Age=${(keptByCase ? Math.max(CASE_COOKIE_DAYS, options.lifetimeDays) : options.lifetimeDays) * 86_400}`,
      'HttpOnly',
      crossSite ? 'SameSite=None' : 'SameSite=Lax',
      ...(https || crossSite ? ['Secure'] : []),
      ...(crossSite ? ['Partitioned'] : []),
    ];
    res.setHeader('set-cookie', attributes.join('; '));
  };

  const create = async (req: IncomingMessage, res: ServerResponse, embed: boolean, used: boolean): Promise<WebSession> => {
    const token = randomId();
    const now = options.now();
    const full = expiry(now);
    const expiresAt = used ? full : new Date(Math.min(full.getTime(), now.getTime() + UNUSED_SESSION_MS));
    const session = { id: randomId(), tokenHash: hash(token), now, expiresAt };
    await repo.insertWebSession(db, session);
    setCookie(req, res, token, embed, session.id);
    return { id: session.id, noticeSeen: false, createdAt: now.toISOString() };
  };

  return {
    /** The request's live session, or null. `touch` slides the expiry (and re-sends the cookie's Max-Age). */
    async find(req: IncomingMessage): Promise<WebSession | null> {
      const token = cookieToken(req);
      if (!token) return null;
      const row = await repo.findWebSession(db, hash(token), clock());
      return row ? { id: row.id, noticeSeen: row.noticeSeen === 1, createdAt: row.createdAt } : null;
    },
    /**
     * The live session (its lifetime restarted), or a new one with its cookie set on `res`.
     * `used`: the request carries a message (a page view alone makes a session of at most a day).
     */
    async findOrCreate(req: IncomingMessage, res: ServerResponse, embed: boolean, used: boolean): Promise<WebSession> {
      const token = cookieToken(req);
      const row = token ? await repo.findWebSession(db, hash(token), clock()) : undefined;
      if (!row || !token) return create(req, res, embed, used);
      const now = options.now();
      await repo.touchWebSession(db, row.id, now, expiry(now));
      setCookie(req, res, token, embed, row.id, row.keptByCase === 1);
      return { id: row.id, noticeSeen: row.noticeSeen === 1, createdAt: row.createdAt };
    },
    /**
     * After a turn (which may have filed a case): the cookie set on `res` lasts as long as a case keeps the session,
     * so a parent waiting weeks for the answer comes back to it with the same browser.
     */
    async keepCookie(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const cookie = issued.get(res);
      // Already kept when the session was found: nothing this turn can shorten that. Else this turn may have filed one.
      if (cookie && !cookie.keptByCase && (await repo.webSessionKeptByCase(db, cookie.sessionId, clock()))) setCookie(req, res, cookie.token, cookie.embed, cookie.sessionId, true);
    },
    /** After an erase: the old session and transcript are deleted and a new, unrelated one replaces them. */
    async rotate(req: IncomingMessage, res: ServerResponse, oldId: string, embed: boolean): Promise<WebSession> {
      await repo.deleteWebSession(db, oldId, options.now());
      return create(req, res, embed, true);
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
