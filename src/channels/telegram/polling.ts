import type { Telegraf } from 'telegraf';
import type { Logger } from '../../logger.js';
import type { Clock } from './pacer.js';
import { telegramErrorInfo } from './telegram-error.js';

/**
 * Long polling that survives its own end. telegraf's polling loop stops for good on a 409 Conflict (another
 * getUpdates caller: the old process of a restart or rolling deploy still inside its 50 s long poll, or a webhook
 * left registered) or a 401, and `bot.launch()` rejects; nothing else notices. Here an end that was not asked for is
 * reported (`ended()`), the channel is marked down, and — alone, or through the poll leader with several instances —
 * polling starts again after a pause: a relaunch calls deleteWebhook first, and the other poller's long poll is over
 * within a minute. A 401 (token revoked) is not retried: it would fail the same way.
 */
export type TelegramStatus = 'connected' | 'down';

/** Why polling ended without being stopped, and how long to wait before polling again (null: do not). */
export interface PollingEnd {
  error: unknown;
  retryInMs: number | null;
}

export interface RestartablePoller {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Settles when the current run ends: with why, if it ended by itself; with null when stopped (or not running). */
  ended(): Promise<PollingEnd | null>;
  /** Another instance polls (leader mode): this one is not deaf, it only does not poll. */
  standby(): void;
}

/** A run shorter than this that ends again counts as the same outage: the pause doubles. */
const STEADY_RUN_MS = 60_000;
const MAX_PAUSE_MS = 5 * 60_000;

export function createRestartablePoller(options: {
  bot: Telegraf;
  logger: Logger;
  clock: Clock;
  allowedUpdates: ('message' | 'edited_message' | 'callback_query')[];
  /** Pause before polling again after an unexpected end; doubled per quick repeat, tripled after a 409. */
  restartMs: number;
  onStatus: (status: TelegramStatus) => void;
}): RestartablePoller {
  const { bot, logger, clock } = options;
  let run: Promise<PollingEnd | null> | null = null;
  let stopping = false;
  let startedAt = 0;
  let quickEnds = 0;

  const pauseAfter = (error: unknown): number | null => {
    const { code } = telegramErrorInfo(error);
    if (code === 401) return null;
    quickEnds = clock.now() - startedAt < STEADY_RUN_MS ? quickEnds + 1 : 1;
    // 409: the other getUpdates caller's long poll (up to 50 s) must end before ours can succeed.
    const base = code === 409 ? options.restartMs * 3 : options.restartMs;
    return Math.min(base * 2 ** (quickEnds - 1), MAX_PAUSE_MS);
  };

  return {
    async start() {
      stopping = false;
      startedAt = clock.now();
      run = bot.launch({ allowedUpdates: options.allowedUpdates }).then(
        () => (stopping ? null : { error: new Error('long polling ended'), retryInMs: options.restartMs }),
        (error: unknown) => {
          if (stopping) return null;
          const retryInMs = pauseAfter(error);
          if (retryInMs === null) logger.error({ err: error }, 'telegram: long polling stopped: Telegram refused the token (401); copy TELEGRAM_BOT_TOKEN again from @BotFather and restart');
          else logger.error({ err: error, retryInMs }, 'telegram: long polling stopped; polling again after a pause');
          return { error, retryInMs };
        },
      );
      void run.then((end) => {
        if (end) options.onStatus('down');
      });
      options.onStatus('connected');
      logger.info({ username: bot.botInfo?.username }, 'telegram: long polling started');
    },
    async stop() {
      if (!run) return;
      stopping = true;
      try {
        bot.stop('shutdown');
      } catch {
        // not running
      }
      await run;
      run = null;
    },
    ended: () => run ?? Promise.resolve(null),
    standby: () => options.onStatus('connected'),
  };
}

/** One instance (SQLite): polls, and after polling ended by itself polls again after the pause it asks for. */
export function pollAlone(poller: { start(): Promise<void>; stop(): Promise<void>; ended?(): Promise<{ retryInMs: number | null } | null> }): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let wake: () => void = () => undefined;
  const loop = async () => {
    while (!stopped) {
      await poller.start();
      const end = poller.ended ? await poller.ended() : null;
      if (stopped || !end || end.retryInMs === null) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, end.retryInMs ?? 0);
        timer.unref();
      });
    }
  };
  const running = loop();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    wake();
    await poller.stop();
    await running.catch(() => undefined);
  };
}
