import type { Logger } from '../logger.js';
import type { Db } from '../storage/db.js';

/**
 * Telegram long polling with several instances: Telegram allows one getUpdates
 * caller per bot, so exactly one instance polls — the one holding the
 * PostgreSQL advisory lock 'telegram_poll'. The others try again every
 * `retryMs` (5 s): when the leader dies its connection closes, the lock is
 * free and another instance polls within about `retryMs` (a machine that
 * vanishes is noticed by TCP keepalives; see docs/DEPLOY.md). A leader whose
 * lock connection drops stops polling at once. On SQLite (one instance) the
 * instance polls from the start.
 */
export interface Poller {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function leadPolling(options: { db: Db; poller: Poller; logger: Logger; retryMs?: number }): () => Promise<void> {
  const { db, poller, logger } = options;
  const tryLock = db.tryLock?.bind(db);
  if (!tryLock) {
    const started = poller.start();
    return async () => {
      await started.catch(() => undefined);
      await poller.stop();
    };
  }
  let stopped = false;
  let release: (() => Promise<void>) | null = null;
  let timer: NodeJS.Timeout | null = null;
  let wakeStop: () => void = () => undefined;
  const stopSignal = new Promise<void>((resolve) => (wakeStop = resolve));

  const attempt = async (): Promise<void> => {
    timer = null;
    if (stopped) return;
    const held = await tryLock('telegram_poll').catch((err: unknown) => {
      logger.warn({ err }, 'telegram: could not ask for the polling lock; retrying');
      return null;
    });
    if (!held) {
      timer = setTimeout(() => void attempt(), options.retryMs ?? 5_000);
      timer.unref();
      return;
    }
    if (stopped) return held.release();
    release = held.release;
    logger.info('telegram: this instance holds the polling lock and polls');
    await poller.start();
    await Promise.race([held.lost, stopSignal]);
    if (stopped) return;
    logger.warn('telegram: lost the polling lock (database connection dropped); stopping polling');
    release = null;
    await poller.stop().catch(() => undefined);
    timer = setTimeout(() => void attempt(), options.retryMs ?? 5_000);
    timer.unref();
  };
  void attempt();
  return async () => {
    stopped = true;
    wakeStop();
    if (timer) clearTimeout(timer);
    await poller.stop().catch(() => undefined);
    await release?.();
  };
}
