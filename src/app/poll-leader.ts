import type { Logger } from '../logger.js';
import type { Db } from '../storage/db.js';
import { pollAlone } from '../channels/telegram/polling.js';

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
  /**
   * Settles when polling ends by itself (a 409 Conflict, the API refusing): then the lock is released so another
   * instance can poll, and this one asks again after `retryInMs` (null: never; e.g. the token was refused).
   */
  ended?(): Promise<{ retryInMs: number | null } | null>;
  /** Called when another instance holds the lock (this one is healthy, it only does not poll). */
  standby?(): void;
}

export function leadPolling(options: { db: Db; poller: Poller; logger: Logger; retryMs?: number }): () => Promise<void> {
  const { db, poller, logger } = options;
  const tryLock = db.tryLock?.bind(db);
  if (!tryLock) return pollAlone(poller);
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
      poller.standby?.();
      timer = setTimeout(() => void attempt(), options.retryMs ?? 5_000);
      timer.unref();
      return;
    }
    if (stopped) return held.release();
    release = held.release;
    logger.info('telegram: this instance holds the polling lock and polls');
    await poller.start();
    // `ended` never settles while polling runs; without it (an older poller) only the lock or a stop end the turn.
    const pollingEnded = poller.ended ? poller.ended().then((end) => ({ end })) : new Promise<never>(() => undefined);
    const why = await Promise.race([held.lost.then(() => 'lost' as const), stopSignal.then(() => 'stopped' as const), pollingEnded]);
    if (stopped) return;
    release = null;
    let retryMs = options.retryMs ?? 5_000;
    if (why === 'lost') {
      logger.warn('telegram: lost the polling lock (database connection dropped); stopping polling');
      await poller.stop().catch(() => undefined);
    } else if (typeof why === 'object') {
      // Polling died here: the lock goes, so another instance (or this one, after the pause) polls.
      logger.warn('telegram: long polling ended on this instance; releasing the polling lock');
      await poller.stop().catch(() => undefined);
      await held.release().catch((err: unknown) => logger.warn({ err }, 'telegram: could not release the polling lock'));
      if (why.end?.retryInMs === null) return;
      retryMs = Math.max(retryMs, why.end?.retryInMs ?? 0);
    }
    timer = setTimeout(() => void attempt(), retryMs);
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

