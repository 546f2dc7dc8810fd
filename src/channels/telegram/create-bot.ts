import { Telegraf } from 'telegraf';
import type { Config } from '../../config.js';
import { AppError } from '../../core/errors.js';
import type { Locale } from '../../core/types.js';
import type { Logger } from '../../logger.js';
import type { Db } from '../../storage/db.js';
import * as repo from '../../storage/telegram-repo.js';
import { createCallbackCodec, type CallbackCodec } from './callback-codec.js';
import { registerCommands } from './commands.js';
import type { EngineLike } from '../shared/engine-like.js';
import type { UndeliveredDesk } from '../shared/undelivered.js';
import { installHandlers } from './handlers.js';
import { createFloodGuard } from '../shared/inbound-guard.js';
import { systemClock, type Clock, type PacerOptions } from './pacer.js';
import { createTelegramSender, telegramErrorInfo, type TelegramSender } from './sender.js';
import { buildKeyboard, renderReply } from './render.js';
import { createUnrecordedUpdates, UnrecordedUpdateError, type UnrecordedUpdates } from './unrecorded.js';
import { createWebhookHandler, registerWebhook, type WebhookHandler } from './webhook.js';
import { createRestartablePoller, pollAlone, type RestartablePoller, type TelegramStatus } from './polling.js';

/**
 * Builds the Telegram channel without starting it: the telegraf bot with its
 * handlers and `bot.catch`, the outbox sender and, in webhook mode, the HTTP
 * handler to mount. `start()` checks the token (getMe), sets the command
 * menu (failure only logged), resumes the outbox, then long-polls or
 * registers the webhook. A token Telegram refuses (401/404) fails `start()`;
 * an API that cannot be reached (network error, 5xx, 429) does not: the
 * channel reports 'down' and keeps trying in the background, so the other
 * channels and the jobs run meanwhile.
 *
 * @example
 *   const telegram = createTelegramChannel({ token, db, engine, cases, logger });
 *   await telegram.start();
 *   // webhook mode: in the app's HTTP server
 *   if (telegram.webhookHandler && req.url === telegram.webhookPath) return telegram.webhookHandler(req, res);
 */
export interface TelegramChannelOptions {
  token: string;
  /** TELEGRAM_API_ROOT: another Bot API server (self-hosted, or the test emulator). */
  apiRoot?: string;
  /** TELEGRAM_WEBHOOK_URL + TELEGRAM_WEBHOOK_SECRET; long polling when absent. */
  webhook?: { url: string; secret: string };
  db: Db;
  engine: EngineLike;
  /** Used to mark a case unreachable when its citizen blocked the bot. */
  cases?: UndeliveredDesk;
  logger: Logger;
  clock?: Clock;
  pacing?: PacerOptions;
  defaultLocale?: Locale;
  /** STAFF_LOCALE: what staff read of this channel (a case flagged reachable again); default zh. */
  staffLocale?: Locale;
  bureauPhone?: string;
  outboxPollMs?: number;
  /** Several instances: decides when this instance long-polls (app/poll-leader.ts); returns the stop function. */
  pollingLeader?: (poller: RestartablePoller) => () => Promise<void>;
  /**
   * Told when the channel can serve parents ('connected') and when it cannot ('down': the Bot API unreachable at
   * start-up, long polling ended); /healthz shows it.
   */
  onStatus?: (status: TelegramStatus) => void;
  /**
   * Pause before asking the Bot API again after it was unreachable at start-up, or before polling again after
   * polling ended by itself; doubles per repeat (up to 5 minutes). Default 5000 ms.
   */
  restartMs?: number;
  /** Several instances on one database (see sender.ts). */
  instance?: { owner: string; aliveSince(): Date };
  /** Polling mode: how often updates held during a database fault are retried; default 5000 ms. */
  unrecordedRetryMs?: number;
  /**
   * How long one sendMessage may wait for the Bot API's answer before it counts as a network failure and the
   * message waits in the outbox for its retry; default 30 s (telegraf's own limit is 500 s, during which a
   * connection the API never answers held every parent's messages behind it).
   */
  sendTimeoutMs?: number;
  /** How long answering a button press (answerCallbackQuery, only the spinner) may take; default 5000 ms. */
  callbackAnswerTimeoutMs?: number;
}

/**
 * The channel options that come from configuration; the composition root adds
 * db, engine, cases and logger. Null when TELEGRAM_BOT_TOKEN is not set.
 */
export function telegramOptionsFromConfig(
  config: Pick<Config, 'TELEGRAM_BOT_TOKEN' | 'TELEGRAM_API_ROOT' | 'TELEGRAM_WEBHOOK_URL' | 'TELEGRAM_WEBHOOK_SECRET' | 'TELEGRAM_GLOBAL_PER_SECOND' | 'DEFAULT_LOCALE' | 'STAFF_LOCALE' | 'BUREAU_PHONE'>,
): Pick<TelegramChannelOptions, 'token' | 'apiRoot' | 'webhook' | 'pacing' | 'defaultLocale' | 'staffLocale' | 'bureauPhone'> | null {
  if (!config.TELEGRAM_BOT_TOKEN) return null;
  return {
    token: config.TELEGRAM_BOT_TOKEN,
    ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
    ...(config.TELEGRAM_WEBHOOK_URL && config.TELEGRAM_WEBHOOK_SECRET
      ? { webhook: { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET } }
      : {}),
    pacing: { globalPerSecond: config.TELEGRAM_GLOBAL_PER_SECOND },
    defaultLocale: config.DEFAULT_LOCALE,
    staffLocale: config.STAFF_LOCALE,
    bureauPhone: config.BUREAU_PHONE,
  };
}

export interface TelegramChannel {
  bot: Telegraf;
  /** Updates held while the database refused writes (polling mode). */
  unrecorded: UnrecordedUpdates;
  /** Replays held updates now (also done every `unrecordedRetryMs` while any wait); returns how many went through. */
  replayUnrecorded(): Promise<number>;
  sender: TelegramSender;
  /** Packs button payloads into callback_data (exposed for tests and tools). */
  codec: CallbackCodec;
  /** Mount at `webhookPath` (the path of TELEGRAM_WEBHOOK_URL; webhook mode only). */
  webhookHandler: WebhookHandler | null;
  webhookPath: string | null;
  start(): Promise<void>;
  /**
   * Shutdown, first step: stops taking updates (long polling ends after the batch in hand is handled, and
   * its offset is confirmed; updates not fetched stay with Telegram for the next start). Returns how many
   * updates were being handled when it was called. The sender keeps running until `stop()`.
   */
  stopTaking(): Promise<{ turnsFinished: number }>;
  stop(): Promise<void>;
}

export function createTelegramChannel(options: TelegramChannelOptions): TelegramChannel {
  const clock = options.clock ?? systemClock;
  const now = () => new Date(clock.now());
  const { db, logger } = options;
  const bot = new Telegraf(options.token, {
    telegram: { ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}), webhookReply: false },
  });
  const unrecorded = createUnrecordedUpdates({
    mode: options.webhook ? 'webhook' : 'polling',
    onDrop: (update) => logger.error({ updateId: update.update_id }, 'telegram: retry queue full; oldest unrecorded update dropped'),
  });
  bot.catch((error, ctx) => {
    // Webhook mode: a non-2xx answer makes Telegram redeliver the update later.
    if (error instanceof UnrecordedUpdateError) throw error;
    logger.error({ err: error, updateId: ctx.update.update_id }, 'telegram: unhandled error while handling an update');
  });
  const codec = createCallbackCodec({
    secret: options.token,
    store: { save: (token, json) => repo.saveCallbackPayload(db, token, json, now()), load: (token) => repo.loadCallbackPayload(db, token) },
  });
  const sender = createTelegramSender({
    db,
    api: {
      sendMessage: (chatId, html, extra) =>
        bot.telegram.callApi('sendMessage', { chat_id: chatId, text: html, ...extra }, {
          // telegraf types the signal of the abort-controller shim; node-fetch takes the native one.
          signal: AbortSignal.timeout(options.sendTimeoutMs ?? 30_000) as unknown as NonNullable<Parameters<typeof bot.telegram.callApi>[2]>['signal'],
        }),
    },
    codec,
    logger,
    cases: options.cases,
    clock,
    pacing: options.pacing,
    defaultLocale: options.defaultLocale,
    pollMs: options.outboxPollMs,
    instance: options.instance,
  });
  // Updates being handled right now (the shutdown reports how many it waited for).
  let turns = 0;
  let idle: (() => void)[] = [];
  bot.use(async (_ctx, next) => {
    turns += 1;
    try {
      await next();
    } finally {
      turns -= 1;
      if (turns === 0) for (const resolve of idle.splice(0)) resolve();
    }
  });
  const turnsDone = () => (turns === 0 ? Promise.resolve() : new Promise<void>((resolve) => (idle = [...idle, resolve])));
  let takingUpdates = true;
  installHandlers(bot, {
    db,
    engine: options.engine,
    codec,
    flood: createFloodGuard(),
    logger,
    now,
    queued: () => sender.wake(),
    bureauPhone: options.bureauPhone ?? '024-42842001',
    unrecorded,
    ...(options.cases ? { cases: options.cases } : {}),
    ...(options.staffLocale ? { staffLocale: options.staffLocale } : {}),
    ...(options.instance ? { instance: options.instance } : {}),
    ...(options.callbackAnswerTimeoutMs ? { callbackAnswerTimeoutMs: options.callbackAnswerTimeoutMs } : {}),
    // Bypasses the outbox (it cannot be written) and its pacing; only used while the database refuses writes.
    sendNow: async (chatId, replies, locale) => {
      for (const part of replies.flatMap((r) => renderReply(r, locale))) {
        const reply_markup = part.buttons ? await buildKeyboard(part.buttons, codec).catch(() => undefined) : undefined;
        await bot.telegram.sendMessage(chatId, part.html, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...(reply_markup ? { reply_markup } : {}),
        });
      }
    },
  });
  const replayUnrecorded = async () => {
    if (unrecorded.waiting === 0) return 0;
    const replayed = await unrecorded.replay((update) => bot.handleUpdate(update));
    if (replayed > 0) logger.info({ replayed, waiting: unrecorded.waiting }, 'telegram: replayed updates held while the database refused writes');
    return replayed;
  };
  let retryTimer: NodeJS.Timeout | null = null;
  const webhook = options.webhook;
  const acceptWebhook = webhook
    ? // Not `res`: telegraf ends a passed response with 200 even when the update failed (and must be redelivered).
      createWebhookHandler({ secret: webhook.secret, handleUpdate: (update) => bot.handleUpdate(update), logger })
    : null;
  // Stopping: an update delivered now is answered 503, so Telegram delivers it again (to the restarted bot).
  const webhookHandler = acceptWebhook
    ? async (req: Parameters<typeof acceptWebhook>[0], res: Parameters<typeof acceptWebhook>[1]) => {
        if (takingUpdates) return acceptWebhook(req, res);
        res.writeHead(503, { 'retry-after': '5' }).end();
      }
    : null;
  const setStatus = options.onStatus ?? (() => undefined);
  const restartMs = options.restartMs ?? 5_000;
  let stopPolling: (() => Promise<void>) | null = null;
  let senderStarted = false;
  let halted = false;
  let connectTimer: NodeJS.Timeout | null = null;

  /** getMe, the command menu, the outbox, then polling or the webhook. Throws what getMe or the webhook threw. */
  const connect = async () => {
    bot.botInfo = await bot.telegram.getMe();
    await registerCommands(bot.telegram, logger);
    if (halted) return;
    if (!senderStarted) {
      await sender.start();
      senderStarted = true;
    }
    if (webhook) {
      await registerWebhook(bot, webhook.url, webhook.secret);
      logger.info({ url: webhook.url }, 'telegram: webhook registered');
      setStatus('connected');
      return;
    }
    retryTimer = setInterval(() => void replayUnrecorded().catch((error: unknown) => logger.error({ err: error }, 'telegram: replay failed')), options.unrecordedRetryMs ?? 5000);
    retryTimer.unref();
    const poller = createRestartablePoller({ bot, logger, clock, allowedUpdates: ['message', 'edited_message', 'callback_query'], restartMs, onStatus: setStatus });
    stopPolling = options.pollingLeader ? options.pollingLeader(poller) : pollAlone(poller);
  };
  /** A refusal that asking again would not change: the token (401/404) or a bad webhook URL (400…); not 429. */
  const refusal = (error: unknown): string | null => {
    const { code, description } = telegramErrorInfo(error);
    if (code === 401 || code === 404) return 'Telegram rejected TELEGRAM_BOT_TOKEN (401/404): copy the token again from @BotFather.';
    if (code !== null && code >= 400 && code < 500 && code !== 429) return `Telegram refused to start the channel: ${description}.`;
    return null;
  };
  const unreachableMessage = (error: unknown) =>
    `Cannot reach the Telegram Bot API${options.apiRoot ? ` at ${options.apiRoot}` : ''}: ${telegramErrorInfo(error).description}. Check TELEGRAM_API_ROOT and the network.`;
  /** Start-up could not reach the API: the other channels run on, this one tries again with a growing pause. */
  const connectLater = (attempt: number) => {
    const pause = Math.min(restartMs * 2 ** (attempt - 1), 5 * 60_000);
    connectTimer = setTimeout(() => {
      connectTimer = null;
      if (halted) return;
      connect().then(
        () => logger.info({ attempts: attempt + 1 }, 'telegram: Bot API reachable again; channel started'),
        (error: unknown) => {
          const refused = refusal(error);
          if (refused) return logger.error({ err: error }, refused);
          logger.warn({ err: error, retryInMs: Math.min(pause * 2, 5 * 60_000) }, unreachableMessage(error));
          connectLater(attempt + 1);
        },
      );
    }, pause);
    connectTimer.unref();
  };

  return {
    bot,
    unrecorded,
    replayUnrecorded,
    sender,
    codec,
    webhookHandler,
    webhookPath: webhook ? new URL(webhook.url).pathname : null,
    async start() {
      try {
        await connect();
      } catch (error) {
        const refused = refusal(error);
        if (refused) throw new AppError('channel_failed', refused, { cause: error });
        setStatus('down');
        logger.error({ err: error, retryInMs: restartMs }, `${unreachableMessage(error)} Telegram stays down and is tried again; the other channels run.`);
        connectLater(1);
      }
    },
    async stopTaking() {
      takingUpdates = false;
      halted = true;
      if (connectTimer) clearTimeout(connectTimer);
      const turnsFinished = turns;
      if (retryTimer) clearInterval(retryTimer);
      retryTimer = null;
      await stopPolling?.();
      stopPolling = null;
      await turnsDone(); // webhook deliveries and replays in hand
      return { turnsFinished };
    },
    async stop() {
      halted = true;
      if (connectTimer) clearTimeout(connectTimer);
      if (retryTimer) clearInterval(retryTimer);
      retryTimer = null;
      if (unrecorded.waiting > 0) logger.error({ lost: unrecorded.waiting }, 'telegram: stopping with updates the database never recorded (lost)');
      await stopPolling?.();
      stopPolling = null;
      await sender.stop();
    },
  };
}
