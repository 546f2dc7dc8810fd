import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import '../../core/i18n/web.js';
import { t } from '../../core/i18n/index.js';
import type { Locale, Reply } from '../../core/types.js';
import type { Logger } from '../../logger.js';
import type { Route } from '../../ops/http-routes.js';
import type { Db } from '../../storage/db.js';
import { enqueueOutbox } from '../../storage/outbox-repo.js';
import { isAppError } from '../../core/errors.js';
import { maskPersonalData } from '../../core/privacy/mask.js';
import * as repo from '../../storage/web-repo.js';
import type { EngineLike } from '../shared/engine-like.js';
import { createChatQueue, type FloodGuard } from '../shared/inbound-guard.js';
import { loadAsset, sendAsset, sendText } from './assets.js';
import type { EventHub } from './event-hub.js';
import { BodyNotUtf8, BodyTooLarge, clientIp, postRefusal, queryInt, readBody, sendJson, type RequestFacts } from './http.js';
import { BODY_LIMIT_BYTES, TEXT_MAX, browserLocale, postSchema, textTooLong, toIncoming, type PostBody } from './inbound.js';
import { chatPage, privacyPage, securityHeaders, unavailablePage } from './page.js';
import { toDto, type WebMessageDto } from './render.js';
import type { Sessions, WebSession } from './session.js';
import type { WebSender } from './sender.js';
import { RESTART_RETRY_AFTER_S, type WebIntake } from './intake.js';
import type { OutboxInstance } from '../shared/outbox-takeover.js';

/** Seconds a parent is asked to wait before sending again while the database refuses writes. */
const STORAGE_RETRY_AFTER_S = 30;

/** Lines of history the page gets on opening. */
export const HISTORY_LINES = 200;

export interface WebRouteDeps {
  db: Db;
  engine: EngineLike;
  sessions: Sessions;
  sender: WebSender;
  hub: EventHub;
  logger: Logger;
  now: () => Date;
  /** Per session: the Telegram flood rule. */
  flood: FloodGuard;
  /** Per client IP: WEB_CHAT_IP_PER_MINUTE. */
  ipGuard: FloodGuard;
  request: RequestFacts;
  frameOrigins: string[];
  bureau: string;
  bureauPhone: string;
  defaultLocale: Locale;
  timeZone: string;
  retention: { conversationDays: number; messageDays: number; caseDays: number };
  sessionDays: number;
  reopenDays: number;
  /** Closed during a shutdown: new messages are answered 503 "restarting, send again" (intake.ts). */
  intake: WebIntake;
  /** This process among several instances (its claims of message ids carry its owner). */
  instance?: OutboxInstance;
}

const isEmbed = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://x').searchParams.get('embed') === '1';
const queryLocale = (req: IncomingMessage): Locale | undefined => {
  const lang = new URL(req.url ?? '/', 'http://x').searchParams.get('lang');
  return lang === 'en' || lang === 'zh' ? lang : undefined;
};

export function webRoutes(deps: WebRouteDeps): Route[] {
  const { db } = deps;
  const assets = { js: loadAsset('chat.js'), css: loadAsset('chat.css'), widget: loadAsset('widget.js') };
  const inOrder = createChatQueue();
  const headers = securityHeaders(deps.frameOrigins);

  const localeOf = async (session: WebSession | null, req: IncomingMessage): Promise<Locale> => {
    const chosen = session ? (await repo.webConversation(db, session.id))?.locale : null;
    if (chosen === 'zh' || chosen === 'en') return chosen;
    return queryLocale(req) ?? browserLocale(req) ?? deps.defaultLocale;
  };
  const load = async (sessionId: string, after: number): Promise<WebMessageDto[]> =>
    (after > 0 ? await repo.webMessagesAfter(db, sessionId, after, HISTORY_LINES) : await repo.latestWebMessages(db, sessionId, HISTORY_LINES)).map(toDto);
  const tooMany = (req: IncomingMessage) => deps.ipGuard.hit(clientIp(req, deps.request.trustProxy ? (deps.request.trustedProxies ?? 1) : 0), deps.now().getTime()) !== 'ok';
  /** A refusal in the language the parent chose in this chat (else the page's), read best-effort: the database may be down. */
  const refusalLocale = async (req: IncomingMessage): Promise<Locale> => {
    const session = await deps.sessions.find(req).catch(() => null);
    return localeOf(session, req).catch(() => localeOf(null, req));
  };
  const refuse = async (req: IncomingMessage, res: ServerResponse, status: number, key: string) =>
    sendJson(res, status, { error: key, message: t(await refusalLocale(req), `web.${key}`, { phone: deps.bureauPhone, max: TEXT_MAX }) });

  const page = async (req: IncomingMessage, res: ServerResponse) => {
    if (tooMany(req)) return refuse(req, res, 429, 'ip_limit');
    const embed = isEmbed(req);
    let session: WebSession;
    try {
      session = await deps.sessions.findOrCreate(req, res, embed, false);
    } catch (error) {
      // No session can be started or renewed (the database refuses writes): a page saying so, not a bare 500.
      if (!isAppError(error, 'storage_failed') || res.headersSent) throw error;
      deps.logger.error({ err: error }, 'web chat: page not served, the database refuses writes');
      res.setHeader('retry-after', String(STORAGE_RETRY_AFTER_S));
      const locale = queryLocale(req) ?? browserLocale(req) ?? deps.defaultLocale;
      return sendText(req, res, 503, 'text/html; charset=utf-8', unavailablePage(locale, deps.bureau, deps.bureauPhone), headers);
    }
    const html = chatPage({ locale: await localeOf(session, req), bureau: deps.bureau, notice: !session.noticeSeen, timeZone: deps.timeZone, now: deps.now(), embed });
    sendText(req, res, 200, 'text/html; charset=utf-8', html, headers);
  };

  /** Queues bot lines for a session through the outbox (one order with staff replies), then delivers them. */
  const queue = async (sessionId: string, replies: Reply[], key: string) => {
    if (replies.length > 0) await enqueueOutbox(db, { target: 'web', address: sessionId, payload: replies, dedupeKey: `web:${key}` }, deps.now());
  };

  /** Requests whose message reached the engine (a storage failure after that may follow a committed filing). */
  const handled = new WeakSet<IncomingMessage>();

  /** Claims of message ids carry this process's owner; with one process every claim is its own ('web'). */
  const owner = deps.instance?.owner ?? 'web';
  const handlePost = async (session: WebSession, body: PostBody, req: IncomingMessage, res: ServerResponse): Promise<WebSession> => {
    const at = deps.now();
    // The id names this message with these words: the page reuses an id only to resend the same message, so the same id
    // with other words (a page of another release, a script) is another message, handled — never dropped as a duplicate.
    const key = body.id ? `${session.id}:${body.id}:${contentTag(body)}` : `${session.id}:${randomBytes(12).toString('base64url')}`;
    // The page sends a message again with its id when no answer came (the process was killed after a petition was
    // committed, say): a message whose turn ended is a duplicate; one whose turn never ended is handled again, and
    // the answer it lost (the case code) is given (repo.claimWebInbound).
    const claim = body.id ? await repo.claimWebInbound(db, key, at, { owner, aliveSince: deps.instance?.aliveSince() ?? null }) : 'fresh';
    if (claim === 'seen') return session;
    // Killed after its replies were queued (the answer is in the outbox, on its way to the transcript): not run again,
    // so a message that opened a flow does not open a second one.
    const answered = claim === 'unfinished' && (await repo.webRepliesQueued(db, `web:${key}`));
    const turn = answered ? session : await takeTurn(session, body, req, res, key, at, claim === 'unfinished');
    if (body.id) await repo.finishWebInbound(db, key);
    return turn;
  };

  const takeTurn = async (session: WebSession, body: PostBody, req: IncomingMessage, res: ServerResponse, key: string, at: Date, again: boolean): Promise<WebSession> => {
    const locale = await localeOf(session, req);
    const verdict = deps.flood.hit(session.id, at.getTime());
    if (verdict === 'ignore') return session;
    if (verdict === 'notice') {
      await queue(session.id, [{ text: t(locale, 'web.flood') }], key);
      return session;
    }
    const platformLocale = browserLocale(req);
    const decoded = await toIncoming(db, body, session, { at, ...(platformLocale ? { platformLocale } : {}) });
    if ('empty' in decoded) {
      // Only invisible characters (control, zero-width, bidi marks) were sent: say so rather than stay silent.
      await queue(session.id, [{ text: t(locale, 'web.empty') }], key);
      return session;
    }
    if ('stale' in decoded) {
      await queue(session.id, [{ text: t(locale, 'web.stale_button') }], key);
      return session;
    }
    const shown = 'menu' in body && body.menu === 'privacy' ? t(locale, 'web.page.erase') : decoded.shown;
    // The transcript keeps phone, ID and credit-code numbers masked, like every other record of them (the engine
    // gets the message whole: the case stores the phone staff call back). A message handled again is shown once.
    if (!again) await repo.appendWebMessage(db, { sessionId: session.id, role: 'parent', payload: { text: maskPersonalData(shown) }, now: at });
    const before = await repo.webConversation(db, session.id);
    const erasing = decoded.incoming.action?.kind === 'confirm' && awaitsEraseConfirmation(before?.state);
    let replies: Reply[];
    let queued = false;
    // The replies are queued before the conversation state is saved (TurnOptions.deliver): a process killed in
    // between leaves the old state, so the resend redoes the turn (a petition is filed once, by its key) and gets
    // the same answer. An erasure's replies go to the new session, known only after the turn.
    const deliver = async (decided: Reply[]) => {
      await queue(session.id, decided, key);
      queued = true;
    };
    try {
      handled.add(req);
      replies = await deps.engine.handle(decoded.incoming, erasing ? {} : { deliver });
    } catch (error) {
      deps.logger.error({ err: error }, 'web chat: engine failed on a message');
      replies = [{ text: t(locale, 'web.error', { phone: deps.bureauPhone }) }];
    }
    if (erasing && !(await repo.webConversation(db, session.id))) {
      // Erased: the session id (the chat id of its cases) and cookie are replaced, the transcript deleted.
      deps.hub.close(session.id);
      const fresh = await deps.sessions.rotate(req, res, session.id, body.embed ?? false);
      await queue(fresh.id, replies, `${fresh.id}:erased`);
      return fresh;
    }
    if (!queued) await queue(session.id, replies, key);
    return session;
  };

  /** Bodies of the POSTs being taken: a refused write may still be answered from them (unsavedRating). */
  const bodies = new WeakMap<IncomingMessage, PostBody>();

  /**
   * A rating (stars typed, or a star pressed) the database could not take: the sentence saying so, naming the case,
   * in place of the generic refusal — the page keeps the typed text and the earlier stars stay pressable, so the
   * parent rates again once writes work (as Telegram re-offers the stars). Null for any other message. Reads only.
   */
  const unsavedRating = async (req: IncomingMessage): Promise<string | null> => {
    const body = bodies.get(req);
    const session = body && deps.engine.ratingWithoutWriting ? await deps.sessions.find(req).catch(() => null) : null;
    if (!body || !session) return null;
    const platformLocale = browserLocale(req);
    const decoded = await toIncoming(db, body, session, { at: deps.now(), ...(platformLocale ? { platformLocale } : {}) }).catch(() => null);
    if (!decoded || !('incoming' in decoded)) return null;
    const replies = await deps.engine.ratingWithoutWriting!(decoded.incoming).catch(() => null);
    const code = replies?.find((r) => r.caseCode)?.caseCode;
    return code ? t(await refusalLocale(req), 'web.rating_not_saved', { code }) : null;
  };

  const post = async (req: IncomingMessage, res: ServerResponse) => {
    if (!deps.intake.take()) {
      res.setHeader('retry-after', String(RESTART_RETRY_AFTER_S));
      return refuse(req, res, 503, 'restarting');
    }
    try {
      await takePost(req, res);
    } catch (error) {
      // The database refused a write (read-only, disk full, gone) or something else failed: the page gets a
      // JSON answer it can show in the parent's language (it keeps the typed text for a resend), never a bare 500.
      const storage = isAppError(error, 'storage_failed');
      // Once the engine has the message, a petition may have been filed before the write that failed: never say
      // "nothing was filed" then, ask the parent to check 查询进度 before sending again.
      const key = storage ? (handled.has(req) ? 'storage_after' : 'storage_down') : 'error';
      deps.logger.error({ err: error }, storage ? 'web chat: message not taken, the database refuses writes' : 'web chat: message failed');
      if (res.headersSent) return void res.end();
      if (storage) res.setHeader('retry-after', String(STORAGE_RETRY_AFTER_S));
      const rating = key === 'storage_down' ? await unsavedRating(req) : null;
      if (rating) return sendJson(res, 503, { error: 'rating_not_saved', message: rating });
      return refuse(req, res, storage ? 503 : 500, key);
    } finally {
      deps.intake.done();
    }
  };

  const takePost = async (req: IncomingMessage, res: ServerResponse) => {
    if (tooMany(req)) return refuse(req, res, 429, 'ip_limit');
    const refusal = postRefusal(req, deps.request);
    if (refusal) return refusal === 'origin' ? refuse(req, res, 403, 'origin') : refuse(req, res, 415, 'invalid');
    let body: PostBody;
    try {
      const parsed = postSchema.safeParse(JSON.parse(await readBody(req, BODY_LIMIT_BYTES)));
      if (!parsed.success) return refuse(req, res, 400, 'invalid');
      body = parsed.data;
    } catch (error) {
      if (error instanceof BodyTooLarge) return refuse(req, res, 413, 'too_large');
      return refuse(req, res, 400, error instanceof BodyNotUtf8 ? 'encoding' : 'invalid');
    }
    if (textTooLong(body)) return refuse(req, res, 413, 'too_large');
    bodies.set(req, body);
    const session = await deps.sessions.findOrCreate(req, res, body.embed ?? false, true);
    const current = await inOrder(session.id, () => handlePost(session, body, req, res));
    await deps.sessions.keepCookie(req, res);
    await deps.sender.drain();
    const renewed = current.id !== session.id;
    sendJson(res, 200, {
      reset: renewed,
      locale: await localeOf(current, req),
      messages: await load(current.id, renewed ? 0 : (body.after ?? 0)),
    });
  };

  const messages = async (req: IncomingMessage, res: ServerResponse) => {
    if (tooMany(req)) return refuse(req, res, 429, 'ip_limit');
    const session = await deps.sessions.find(req);
    if (!session) return refuse(req, res, 401, 'session');
    sendJson(res, 200, { locale: await localeOf(session, req), messages: await load(session.id, queryInt(req, 'after')) });
  };

  const events = async (req: IncomingMessage, res: ServerResponse) => {
    if (tooMany(req)) return refuse(req, res, 429, 'ip_limit');
    const session = await deps.sessions.find(req);
    if (!session) return refuse(req, res, 401, 'session');
    const lastEventId = String(req.headers['last-event-id'] ?? '');
    const after = /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : queryInt(req, 'after');
    deps.hub.open(session.id, res, after);
  };

  const notice = async (req: IncomingMessage, res: ServerResponse) => {
    const refusal = postRefusal(req, deps.request);
    if (refusal) return refusal === 'origin' ? refuse(req, res, 403, 'origin') : refuse(req, res, 415, 'invalid');
    const session = await deps.sessions.find(req);
    if (!session) return refuse(req, res, 401, 'session');
    try {
      await repo.markWebNoticeSeen(db, session.id);
    } catch (error) {
      if (!isAppError(error, 'storage_failed')) throw error;
      return refuse(req, res, 503, 'storage_down'); // the notice shows again next time: nothing lost
    }
    sendJson(res, 200, { ok: true });
  };

  const privacy = async (req: IncomingMessage, res: ServerResponse) => {
    const html = privacyPage(queryLocale(req) ?? browserLocale(req) ?? deps.defaultLocale, deps.bureau, { ...deps.retention, sessionDays: deps.sessionDays, reopenDays: deps.reopenDays });
    sendText(req, res, 200, 'text/html; charset=utf-8', html, headers);
  };

  return [
    { path: '/chat/', method: 'GET', handler: page },
    { path: '/chat/privacy', method: 'GET', handler: privacy },
    { path: '/chat/chat.js', method: 'GET', handler: (req, res) => sendAsset(req, res, assets.js) },
    { path: '/chat/chat.css', method: 'GET', handler: (req, res) => sendAsset(req, res, assets.css) },
    // Loaded by the bureau's own pages: readable cross-origin.
    { path: '/chat/widget.js', method: 'GET', handler: (req, res) => sendAsset(req, res, assets.widget, { 'cross-origin-resource-policy': 'cross-origin' }) },
    { path: '/chat/api/messages', method: 'GET', handler: messages },
    { path: '/chat/api/messages', method: 'POST', handler: post },
    { path: '/chat/api/events', method: 'GET', handler: events, stream: true },
    { path: '/chat/api/notice', method: 'POST', handler: notice },
    // Last: Bolt matches routes in order and may let '/chat' match '/chat/' too.
    { path: '/chat', method: 'GET', handler: (_req, res) => void res.writeHead(308, { location: '/chat/' }).end() },
  ];
}

/** The engine's conversation state asks "确认删除?" (and no filing, whose confirm comes first, is open). */
function awaitsEraseConfirmation(state: string | null | undefined): boolean {
  try {
    const parsed = JSON.parse(state ?? '{}') as { erase?: unknown; filing?: unknown };
    return parsed.erase === true && !parsed.filing;
  } catch {
    return false;
  }
}

/**
 * A short digest of what a POST says (its words, button, menu item or language), for the key of its message id. Taken
 * over the words as the transcript keeps them (phone, ID and credit-code numbers masked), so the stored key reveals
 * no number the transcript does not show; the parent's erase deletes it with the session (retention-repo).
 */
function contentTag(body: PostBody): string {
  const what = 'text' in body ? ['t', maskPersonalData(body.text)] : 'button' in body ? ['b', body.button] : 'menu' in body ? ['m', body.menu] : ['l', body.lang];
  return createHash('sha256').update(JSON.stringify(what)).digest('base64url').slice(0, 12);
}
