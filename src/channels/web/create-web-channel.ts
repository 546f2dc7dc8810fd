import { z } from 'zod';
import type { UndeliveredDesk } from '../shared/undelivered.js';
import { Gauge, type Registry } from 'prom-client';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Route } from '../../ops/http-routes.js';
import type { Db } from '../../storage/db.js';
import { clearErasedBytes } from '../../storage/erased-bytes.js';
import { countLiveWebSessions, purgeWebData } from '../../storage/web-repo.js';
import type { EngineLike } from '../shared/engine-like.js';
import { createFloodGuard } from '../shared/inbound-guard.js';
import { createEventHub } from './event-hub.js';
import { toDto } from './render.js';
import { webMessagesAfter, latestWebMessages } from '../../storage/web-repo.js';
import { webRoutes } from './routes.js';
import { createWebIntake } from './intake.js';
import { createWebSender } from './sender.js';
import type { OutboxInstance } from '../shared/outbox-takeover.js';
import { safeJson } from '../shared/safe-json.js';
import { createSessions } from './session.js';

/**
 * The web chat channel for parents who cannot use Telegram: the /chat/ page,
 * its JSON and Server-Sent Events API, the embeddable widget, and the outbox
 * sender for target 'web'. Like the Telegram channel it only turns requests
 * into `Incoming` for the engine and renders `Reply`; the routes are mounted
 * on whichever HTTP server runs (Bolt's or the plain ops server).
 *
 * @example
 *   const web = createWebChannel({ ...webOptionsFromConfig(config), db, engine, logger });
 *   routes.push(...web.routes);
 *   await web.start();
 */
export interface WebChannelOptions {
  db: Db;
  engine: EngineLike;
  logger: Logger;
  now?: () => Date;
  /** Registers the channel's gauges (open streams, live sessions) for /metrics. */
  metrics?: Registry;
  frameOrigins: string[];
  publicOrigins: string[];
  sessionDays: number;
  /** REOPEN_DAYS: how long after closing a case still keeps the web session that filed it (web-repo OWNS_LIVE_CASE). */
  reopenDays: number;
  trustProxy: boolean;
  /** WEB_CHAT_TRUSTED_PROXIES: proxies in front that append to X-Forwarded-For (http.ts clientIp); default 1. */
  trustedProxies?: number;
  ipPerMinute: number;
  bureau: string;
  bureauPhone: string;
  defaultLocale: 'zh' | 'en';
  /** STAFF_LOCALE: what staff read of this channel (the note of a line that could not be delivered); default zh. */
  staffLocale?: 'zh' | 'en';
  timeZone: string;
  retention: { conversationDays: number; messageDays: number; caseDays: number };
  /** Outbox pass interval for staff replies and status changes (ms). */
  outboxPollMs?: number;
  /** This process among several instances sharing the database (its outbox rows carry its owner). */
  instance?: OutboxInstance;
  heartbeatMs?: number;
  /** Tells staff when a case message cannot reach its parent (the session ended): shared/undelivered.ts. */
  cases?: UndeliveredDesk;
}

type WebConfig = Pick<
  Config,
  | 'WEB_CHAT_ORIGINS'
  | 'WEB_CHAT_PUBLIC_URL'
  | 'WEB_CHAT_SESSION_DAYS'
  | 'REOPEN_DAYS'
  | 'WEB_CHAT_TRUST_PROXY'
  | 'WEB_CHAT_TRUSTED_PROXIES'
  | 'WEB_CHAT_IP_PER_MINUTE'
  | 'BUREAU_NAME'
  | 'BUREAU_PHONE'
  | 'DEFAULT_LOCALE'
  | 'STAFF_LOCALE'
  | 'TIMEZONE'
  | 'RETENTION_CONVERSATION_DAYS'
  | 'RETENTION_MESSAGE_DAYS'
  | 'RETENTION_CASE_DAYS'
>;

export function webOptionsFromConfig(config: WebConfig): Omit<WebChannelOptions, 'db' | 'engine' | 'logger'> {
  return {
    frameOrigins: config.WEB_CHAT_ORIGINS,
    publicOrigins: config.WEB_CHAT_PUBLIC_URL ? [new URL(config.WEB_CHAT_PUBLIC_URL).origin] : [],
    sessionDays: config.WEB_CHAT_SESSION_DAYS,
    reopenDays: config.REOPEN_DAYS,
    trustProxy: config.WEB_CHAT_TRUST_PROXY,
    trustedProxies: config.WEB_CHAT_TRUSTED_PROXIES,
    ipPerMinute: config.WEB_CHAT_IP_PER_MINUTE,
    bureau: config.BUREAU_NAME,
    bureauPhone: config.BUREAU_PHONE,
    defaultLocale: config.DEFAULT_LOCALE,
    staffLocale: config.STAFF_LOCALE,
    timeZone: config.TIMEZONE,
    retention: {
      conversationDays: config.RETENTION_CONVERSATION_DAYS,
      messageDays: config.RETENTION_MESSAGE_DAYS,
      caseDays: config.RETENTION_CASE_DAYS,
    },
  };
}

/** The page's URL as printed at start. */
export function webChatUrl(config: Pick<Config, 'WEB_CHAT_PUBLIC_URL' | 'PORT'>): string {
  return config.WEB_CHAT_PUBLIC_URL ?? `http://localhost:${config.PORT}/chat/`;
}

/** NOTIFY channel of the sessions that got new transcript lines; ids per notice keep it under PostgreSQL's 8000-byte payload. */
const DELIVERED_CHANNEL = 'web_delivered';
const DELIVERED_PER_NOTICE = 50;
const sessionIdList = z.array(z.string().max(100)).max(DELIVERED_PER_NOTICE);

export function createWebChannel(options: WebChannelOptions) {
  const now = options.now ?? (() => new Date());
  const { db, logger } = options;
  const load = async (sessionId: string, after: number) =>
    (after > 0 ? await webMessagesAfter(db, sessionId, after, 200) : await latestWebMessages(db, sessionId, 200)).map(toDto);
  const hub = createEventHub({ load, logger, heartbeatMs: options.heartbeatMs ?? 25_000 });
  // Several instances (PostgreSQL): a browser's event stream may be open on another instance than the one whose
  // sender stored its new lines (a staff reply, a reminder). The sender tells every instance (NOTIFY); each pushes
  // to the streams it holds. An instance hears its own notice too: a push sends only what lies after each stream's
  // cursor, so the second one sends nothing.
  const delivered = (ids: Set<string>) => {
    hub.notify(ids);
    if (!db.notify) return;
    const list = [...ids];
    for (let i = 0; i < list.length; i += DELIVERED_PER_NOTICE)
      db.notify(DELIVERED_CHANNEL, JSON.stringify(list.slice(i, i + DELIVERED_PER_NOTICE))).catch((err: unknown) =>
        logger.warn({ err }, 'web chat: could not tell the other instances about new lines'),
      );
  };
  const sender = createWebSender({ db, logger, now, delivered, pollMs: options.outboxPollMs ?? 1000, instance: options.instance, cases: options.cases, reopenDays: options.reopenDays, staffLocale: options.staffLocale });
  const sessions = createSessions({ db, lifetimeDays: options.sessionDays, reopenDays: options.reopenDays, trustProxy: options.trustProxy, now });
  const intake = createWebIntake();
  const routes: Route[] = webRoutes({
    intake,
    db,
    engine: options.engine,
    sessions,
    sender,
    hub,
    logger,
    now,
    flood: createFloodGuard(),
    ipGuard: createFloodGuard(options.ipPerMinute),
    request: { trustProxy: options.trustProxy, trustedProxies: options.trustedProxies ?? 1, ownOrigins: options.publicOrigins },
    frameOrigins: options.frameOrigins,
    bureau: options.bureau,
    bureauPhone: options.bureauPhone,
    defaultLocale: options.defaultLocale,
    timeZone: options.timeZone,
    retention: options.retention,
    sessionDays: options.sessionDays,
    reopenDays: options.reopenDays,
    ...(options.instance ? { instance: options.instance } : {}),
  });
  if (options.metrics) {
    new Gauge({
      name: 'civicdesk_web_chat_streams',
      help: 'Open Server-Sent Event streams of the web chat',
      registers: [options.metrics],
      collect() {
        this.set(hub.connections());
      },
    });
    new Gauge({
      name: 'civicdesk_web_chat_sessions',
      help: 'Web chat sessions that have not expired',
      registers: [options.metrics],
      async collect() {
        this.set(await countLiveWebSessions(db, { now: now(), reopenDays: options.reopenDays }));
      },
    });
  }
  let purgeTimer: NodeJS.Timeout | null = null;
  let stopListening: (() => Promise<void>) | null = null;
  const purge = async () => {
    const at = now();
    const result = await purgeWebData(db, { now: at, reopenDays: options.reopenDays, messages: new Date(at.getTime() - options.retention.messageDays * 86_400_000) });
    if (result.messages + result.sessions === 0) return;
    logger.info(result, 'web chat: expired sessions and transcript lines deleted');
    const touched = [...(result.messages > 0 ? ['web_messages' as const] : []), ...(result.sessions > 0 ? ['web_sessions' as const] : [])];
    const problem = await clearErasedBytes(db, touched, at);
    if (problem) logger.warn({ problem }, 'web chat: expired transcript lines are not yet gone from disk');
  };

  return {
    routes,
    sender,
    hub,
    /** The retention pass (run at start and hourly): expired sessions and old transcript lines deleted. */
    purge,
    async start(): Promise<void> {
      stopListening =
        (await db.listen?.(DELIVERED_CHANNEL, (payload) => {
          const ids = sessionIdList.safeParse(safeJson(payload));
          if (ids.success) hub.notify(ids.data);
        })) ?? null;
      await sender.start();
      await purge();
      purgeTimer = setInterval(() => void purge().catch((err: unknown) => logger.error({ err }, 'web chat: purge failed')), 3_600_000);
      purgeTimer.unref();
    },
    /** Shutdown, first step: new messages are answered "restarting, send again" (503). */
    refuseNew(): void {
      intake.close();
    },
    /**
     * Stops taking messages (if not done yet), waits for those taken to be answered and their lines delivered,
     * then ends the event streams and the sender. Returns how many messages were still being handled.
     */
    async stop(): Promise<{ turnsFinished: number }> {
      const turnsFinished = intake.close(); // in hand when the intake closed (refuseNew, or now)
      await intake.settled();
      if (purgeTimer) clearInterval(purgeTimer);
      await stopListening?.();
      await sender.drain();
      hub.stop();
      await sender.stop();
      return { turnsFinished };
    },
  };
}

export type WebChannel = ReturnType<typeof createWebChannel>;
