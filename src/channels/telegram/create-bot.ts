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

/**
 * Builds the Telegram channel without starting it: the telegraf bot with its
 * handlers and `bot.catch`, the outbox sender and, in webhook mode, the HTTP
 * handler to mount. `start()` checks the token (getMe), sets the command
 * menu (failure only logged), resumes the outbox, then long-polls or
 * registers the webhook.
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
  bureauPhone?: string;
  outboxPollMs?: number;
  /** Several instances: decides when this instance long-polls (app/poll-leader.ts); returns the stop function. */
  pollingLeader?: (poller: { start(): Promise<void>; stop(): Promise<void> }) => () => Promise<void>;
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
}

/**
 * The channel options that come from configuration; the composition root adds
 * db, engine, cases and logger. Null when TELEGRAM_BOT_TOKEN is not set.
 */
export function telegramOptionsFromConfig(
  config: Pick<Config, 'TELEGRAM_BOT_TOKEN' | 'TELEGRAM_API_ROOT' | 'TELEGRAM_WEBHOOK_URL' | 'TELEGRAM_WEBHOOK_SECRET' | 'TELEGRAM_GLOBAL_PER_SECOND' | 'DEFAULT_LOCALE' | 'BUREAU_PHONE'>,
): Pick<TelegramChannelOptions, 'token' | 'apiRoot' | 'webhook' | 'pacing' | 'defaultLocale' | 'bureauPhone'> | null {
  if (!config.TELEGRAM_BOT_TOKEN) return null;
  return {
    token: config.TELEGRAM_BOT_TOKEN,
    ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
    ...(config.TELEGRAM_WEBHOOK_URL && config.TELEGRAM_WEBHOOK_SECRET
      ? { webhook: { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET } }
      : {}),
    pacing: { globalPerSecond: config.TELEGRAM_GLOBAL_PER_SECOND },
    defaultLocale: config.DEFAULT_LOCALE,
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
    ...(options.instance ? { instance: options.instance } : {}),
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
  let polling: Promise<void> | null = null;
  let stopPolling: (() => Promise<void>) | null = null;

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
        bot.botInfo = await bot.telegram.getMe();
      } catch (error) {
        const info = telegramErrorInfo(error);
        throw new AppError(
          'channel_failed',
          info.code === 401 || info.code === 404
            ? 'Telegram rejected TELEGRAM_BOT_TOKEN (401/404): copy the token again from @BotFather.'
            : `Cannot reach the Telegram Bot API${options.apiRoot ? ` at ${options.apiRoot}` : ''}: ${info.description}. Check TELEGRAM_API_ROOT and the network.`,
          { cause: error },
        );
      }
      await registerCommands(bot.telegram, logger);
      await sender.start();
      if (webhook) {
        await registerWebhook(bot, webhook.url, webhook.secret);
        logger.info({ url: webhook.url }, 'telegram: webhook registered');
        return;
      }
      retryTimer = setInterval(() => void replayUnrecorded().catch((error: unknown) => logger.error({ err: error }, 'telegram: replay failed')), options.unrecordedRetryMs ?? 5000);
      retryTimer.unref();
      const poller = {
        start: async () => {
          polling = bot.launch({ allowedUpdates: ['message', 'edited_message', 'callback_query'] }).catch((error: unknown) => {
            logger.error({ err: error }, 'telegram: long polling stopped');
          });
          logger.info({ username: bot.botInfo?.username }, 'telegram: long polling started');
        },
        stop: async () => {
          if (!polling) return;
          try {
            bot.stop('shutdown');
          } catch {
            // not running
          }
          await polling;
          polling = null;
        },
      };
      if (options.pollingLeader) stopPolling = options.pollingLeader(poller);
      else {
        await poller.start();
        stopPolling = poller.stop;
      }
    },
    async stopTaking() {
      takingUpdates = false;
      const turnsFinished = turns;
      if (retryTimer) clearInterval(retryTimer);
      retryTimer = null;
      await stopPolling?.();
      stopPolling = null;
      await turnsDone(); // webhook deliveries and replays in hand
      return { turnsFinished };
    },
    async stop() {
      if (retryTimer) clearInterval(retryTimer);
      retryTimer = null;
      if (unrecorded.waiting > 0) logger.error({ lost: unrecorded.waiting }, 'telegram: stopping with updates the database never recorded (lost)');
      await stopPolling?.();
      stopPolling = null;
      await sender.stop();
    },
  };
}
