import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';

/**
 * The process-wide rule: no inbound request or update may end the process.
 * Each adapter already answers its own errors (Slack receiver guard, Telegram
 * webhook and bot.catch, the ops server's catch); this is the net under them
 * for a library that throws in a detached promise or callback (as Bolt 5.1
 * did on a `null` body). The error is logged with an id an operator can grep
 * for, and the process keeps serving: all state that matters is in the
 * database, committed per request, so one failed request leaves nothing half
 * done in memory that the next one depends on.
 *
 * Returns a function that removes the handlers (for tests).
 */
export function installProcessGuard(logger: Logger, target: NodeJS.EventEmitter = process): () => void {
  const onRejection = (reason: unknown) => {
    logger.error({ err: reason, errorId: randomUUID() }, 'unhandled promise rejection (process kept running)');
  };
  const onException = (error: Error) => {
    logger.error({ err: error, errorId: randomUUID() }, 'uncaught exception (process kept running)');
  };
  target.on('unhandledRejection', onRejection);
  target.on('uncaughtException', onException);
  return () => {
    target.off('unhandledRejection', onRejection);
    target.off('uncaughtException', onException);
  };
}
