import type { Server } from 'node:http';
import { App, LogLevel, webApi, type CustomRoute, type Logger as BoltLogger } from '@slack/bolt';
import { answerFailures, withMethodAnswers } from '../../ops/http-server.js';
import type { Route, RouteMethod } from '../../ops/http-routes.js';
import { randomUUID } from 'node:crypto';
import { isAppError } from '../../core/errors.js';
import { t } from '../../core/i18n/index.js';
import { registerSlackCatalog } from '../../core/i18n/slack.js';
import { classifyStorageError } from '../../storage/storage-health.js';
import type { Logger } from '../../logger.js';
import { registerCaseActions } from './actions.js';
import { slackFailureText } from './api-failure.js';
import { typedBack } from './typed-back.js';
import { registerRatingEntry } from './rating-entry.js';
import { registerUnhandledFallback, trackListeners } from './unhandled.js';
import { registerAnnualCommands, type AnnualCommandDeps } from './annual-commands.js';
import { createStaffAuthz, type StaffAuthz } from './authz.js';
import { registerCommands, type CommandEntry, type CommandHandler } from './commands.js';
import { createKeyedLock, tellUser } from './guard.js';
import { createKbAdminCommands } from './kb-admin.js';
import { registerKbTeachAction } from './kb-teach.js';
import { registerKbCatalog } from './kb-catalog.js';
import { notifyReloadProblems } from './kb-notify.js';
import { createGuardedReceiver, REQUEST_ID_HEADER } from './receiver.js';
import { createSlackPoster } from './slack-poster.js';
import { atMostOnceClient, slackApiUrlOption } from './web-client.js';
import { createSlackStaffDesk, type SlackStaffDesk } from './staff-desk.js';
import { registerThreadNotes } from './thread-notes.js';
import { resolveContext, type ReloadReport, type SlackDeskDeps } from './types.js';
import { registerViews } from './views.js';
import type { StaffPoster } from '../../core/staff-post.js';

export interface SlackAppOptions extends SlackDeskDeps {
  botToken: string;
  /** HTTP mode (required unless appToken is set). */
  signingSecret?: string;
  /** Socket Mode when set (xapp-…). */
  appToken?: string;
  /** HTTP port; default 3000. */
  port?: number;
  /** Web API base URL (SLACK_API_URL), e.g. a stub in tests. */
  apiUrl?: string;
  /**
   * The bot's ids from `slackBotIdentity` (checked before the app is built). Given, Bolt makes no auth.test
   * of its own at construction, whose failure (a revoked token) nobody could catch.
   */
  botIdentity?: { botId: string; botUserId: string };
  /** More routes on the same HTTP server: /healthz, /metrics, /telegram/webhook. */
  customRoutes?: CustomRoute[];
  /**
   * How long one Web API call of the staff desk (case cards, thread lines) may take before it counts as failed and
   * waits in the outbox for its retry (which first looks for the post); default 30 s. Without it, a connection
   * Slack never answers would hold every staff notice behind it.
   */
  postTimeoutMs?: number;
  /** How often the 'staff' outbox is drained besides the kick after each action; default 2000 ms. */
  drainIntervalMs?: number;
  /** More `/kb` subcommands (stats, reload, gaps). */
  kbCommands?: Record<string, CommandHandler>;
  /**
   * `/report annual YYYY` and `/register KIND` (annual-commands.ts) when set: the
   * data functions; staff check, channel, logger, locale and clock come from the desk.
   */
  annual?: Pick<AnnualCommandDeps, 'draftDocx' | 'saveRegisterItem'>;
  /**
   * True when the knowledge service's `onReload` already calls notifyReloadProblems
   * for every reload (watcher, SIGHUP and /kb reload alike): /kb reload then does
   * not post the problems a second time. Default false: /kb reload posts them.
   */
  reloadProblemsPostedByService?: boolean;
  /** More top-level slash commands, e.g. `{ '/stats': { access: 'admin', run } }` (add them to the manifest too). */
  commands?: Record<string, CommandEntry>;
  /**
   * The clock (epoch ms) the receiver judges `x-slack-request-timestamp` against, both ways
   * (over 5 minutes old or ahead → 401); default Date.now. Tests freeze it so no verdict drifts under load.
   */
  requestClock?: () => number;
}

export interface SlackDesk {
  app: App;
  staffDesk: SlackStaffDesk;
  poster: StaffPoster;
  authz: StaffAuthz;
  /**
   * One staff-channel message mentioning the admins, listing `path:line: message`
   * per problem; nothing when the reload was clean. For the file watcher and SIGHUP
   * reloads (`/kb reload` calls it itself).
   */
  notifyReloadProblems(report: ReloadReport): Promise<boolean>;
  /** Starts the receiver (HTTP server or socket) and the staff drain; the HTTP port (null in Socket Mode). */
  start(): Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * The bot's ids, asked once (auth.test, no retries, 10 s) before the app is built. A token Slack refuses
 * (revoked, mistyped, app uninstalled) gives placeholder ids: the desk still starts (its /healthz and the
 * staff desk's `problem` say what to fix) instead of failing later inside Bolt. When Slack cannot be reached
 * at all it returns undefined and Bolt asks again by itself (retrying while the network comes up).
 */
export async function slackBotIdentity(botToken: string, apiUrl?: string): Promise<{ botId: string; botUserId: string } | undefined> {
  const client = new webApi.WebClient(botToken, { ...slackApiUrlOption(apiUrl), retryConfig: { retries: 0 }, timeout: 10_000, logLevel: LogLevel.ERROR });
  try {
    const result = await client.auth.test();
    return result.bot_id && result.user_id ? { botId: result.bot_id, botUserId: result.user_id } : undefined;
  } catch (error) {
    const refused = (error as { code?: unknown }).code === webApi.ErrorCode.PlatformError;
    return refused ? { botId: 'B_UNVERIFIED', botUserId: 'U_UNVERIFIED' } : undefined;
  }
}

/**
 * Builds the Slack staff desk without starting it: Bolt app (HTTP on `port`
 * with /slack/events and custom routes, or Socket Mode), the listeners, the
 * 'staff' outbox drainer and the StaffPoster for jobs.
 *
 * @example
 *   const slack = createSlackApp({ botToken, signingSecret, db, desk, logger, staffChannel: 'C123', staffUserIds: [], adminUserIds: [] });
 *   await slack.start();
 */
export function createSlackApp(options: SlackAppOptions): SlackDesk {
  registerSlackCatalog();
  registerKbCatalog();
  const ctx = resolveContext(options);
  const logger = boltLogger(options.logger);
  // Interactive calls (views.open, the staff check, ephemeral answers) are not retried inside the client and a 429 is
  // refused at once: a trigger_id expires after 3 s, and staff waiting up to half an hour for a retry saw nothing at
  // all. The failure reaches app.error, which tells them what happened (api-failure.ts).
  const clientOptions = { ...slackApiUrlOption(options.apiUrl), retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };
  const identity = options.botIdentity ?? {};
  const app = options.appToken
    ? new App({ token: options.botToken, ...identity, appToken: options.appToken, socketMode: true, logger, clientOptions, extendedErrorHandler: true })
    : new App({
        token: options.botToken,
        ...identity,
        logger,
        extendedErrorHandler: true,
        clientOptions,
        receiver: createGuardedReceiver({
          signingSecret: options.signingSecret ?? '',
          port: options.port ?? 3000,
          // Bolt does not catch a custom route's rejection: the request would hang (the web chat, /healthz, a webhook).
          customRoutes: withMethodAnswers(asRoutes(options.customRoutes ?? [])).map(({ path, method, handler }) => ({ path, method, handler: answerFailures(handler) })),
          logger,
          appLogger: options.logger,
          customPropertiesExtractor: (req) => ({ requestId: String(req.headers[REQUEST_ID_HEADER] ?? '') }),
        }, options.requestClock),
      });
  // Before any listener is registered: the ids they serve, so a request for none is answered (unhandled.ts).
  const listenerIds = trackListeners(app);
  const authz = createStaffAuthz({
    client: app.client,
    staffChannel: ctx.staffChannel,
    staffUserIds: ctx.staffUserIds,
    adminUserIds: ctx.adminUserIds,
    logger: options.logger,
  });
  const guards = { authz, lock: createKeyedLock() };
  // The staff desk's (and the jobs poster's) own client, posting at most once (web-client.ts): the desk's outbox
  // retry looks for a post by its metadata first (staff-desk.ts), and waits a 429 out rather than inside a call.
  const deskClient = atMostOnceClient(options.botToken, { apiUrl: options.apiUrl, timeoutMs: options.postTimeoutMs, logger });
  const staffDesk = createSlackStaffDesk(ctx, deskClient);
  const poster = createSlackPoster(deskClient, ctx.staffChannel);
  const notify = (report: ReloadReport) => notifyReloadProblems({ poster, adminUserIds: ctx.adminUserIds, locale: ctx.locale }, report);
  const kbNotify = options.reloadProblemsPostedByService ? async (r: ReloadReport) => r.problems.length > 0 : notify;
  const kbAdmin = ctx.knowledge ? createKbAdminCommands({ knowledge: ctx.knowledge, notify: kbNotify }) : {};
  registerCaseActions(app, ctx, guards, staffDesk);
  registerRatingEntry(app, ctx, guards, staffDesk);
  if (ctx.knowledge) registerKbTeachAction(app, ctx, authz, ctx.knowledge);
  registerViews(app, ctx, guards, staffDesk);
  registerCommands(app, ctx, guards, { kb: { ...kbAdmin, ...options.kbCommands }, commands: options.commands });
  registerThreadNotes(app, ctx, guards);
  if (options.annual)
    registerAnnualCommands(app, {
      ...options.annual,
      staffChannel: ctx.staffChannel,
      isStaff: (userId) => authz.isStaff(userId),
      logger: options.logger,
      locale: ctx.locale,
      now: ctx.now,
      bounds: ctx.bounds,
    });
  registerUnhandledFallback(app, { ids: listenerIds, locale: ctx.locale, staffChannel: ctx.staffChannel, logger: options.logger });
  // Every listener error is logged with the request id the receiver gave the request (Socket Mode: the envelope's).
  app.error(async (args) => {
    const { error, context, body } = args as unknown as { error: Error; context: Record<string, unknown>; body?: unknown }; // extendedErrorHandler: true above
    const requestId = (context as { requestId?: string }).requestId || (body as { envelope_id?: string } | undefined)?.envelope_id || randomUUID();
    options.logger.error({ err: error, requestId }, 'slack: listener failed');
    await tellStaffOfFailure(app, ctx, body, error, requestId).catch((err: unknown) =>
      options.logger.error({ err, requestId }, 'slack: could not tell the user their request failed'),
    );
  });
  return {
    app,
    staffDesk,
    authz,
    poster,
    notifyReloadProblems: notify,
    async start() {
      let port: number | null = null;
      if (options.appToken) await app.start();
      else {
        const server = (await app.start(options.port ?? 3000)) as Server;
        const address = server.address();
        port = typeof address === 'object' && address ? address.port : null;
      }
      await staffDesk.start(options.drainIntervalMs);
      await staffDesk.verify();
      return port;
    },
    async stop() {
      staffDesk.stop();
      await app.stop();
    },
  };
}

/**
 * Staff get an error, not silence, when a listener fails (the database refuses writes, a bug):
 * an ephemeral note through the request's response_url (buttons, slash commands), else to the
 * user in the staff channel (modal submissions). Events from the channel itself get nothing.
 */
async function tellStaffOfFailure(app: App, ctx: ReturnType<typeof resolveContext>, body: unknown, error: unknown, requestId: string): Promise<void> {
  const b = (body ?? {}) as { response_url?: string; user?: { id?: string }; user_id?: string; type?: string; view?: Parameters<typeof typedBack>[1] };
  const user = b.user?.id ?? b.user_id;
  if (!user || b.type === 'event_callback') return;
  const original = (error as { original?: unknown }).original ?? error;
  const fault = isAppError(original, 'storage_failed');
  const said =
    slackFailureText(ctx.locale, error, requestId) ??
    (fault ? t(ctx.locale, 'slack.msg.storageDown', { condition: classifyStorageError(original), requestId }) : t(ctx.locale, 'slack.msg.failed', { requestId }));
  // A modal closes when its submission is acked: what was typed in it is given back, not lost.
  const text = b.type === 'view_submission' ? said + typedBack(ctx.locale, b.view) : said;
  if (b.response_url) {
    const res = await fetch(b.response_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
    });
    if (res.ok) return;
  }
  await tellUser(app.client, ctx, user, text);
}

/** Bolt's logger interface over pino; Bolt's info chatter goes to debug. */
function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...msg) => log.debug(msg.map(String).join(' ')),
    info: (...msg) => log.debug(msg.map(String).join(' ')),
    warn: (...msg) => log.warn(msg.map(String).join(' ')),
    error: (...msg) => log.error(msg.map(String).join(' ')),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** Bolt's custom routes (a method or a list of them) as one route per method, for withMethodAnswers. */
function asRoutes(routes: CustomRoute[]): Route[] {
  return routes.flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method]).map((m) => ({ path: r.path, method: m.toUpperCase() as RouteMethod, handler: r.handler as Route['handler'] })));
}
