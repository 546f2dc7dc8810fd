import type { KnowledgeService, ReloadCause } from '../knowledge/service.js';
import type { Logger } from '../logger.js';
import type { Db } from '../storage/db.js';

/**
 * Several instances: a knowledge reload on one instance reaches the others
 * through PostgreSQL LISTEN/NOTIFY. Every instance reads the same folder (a
 * shared volume or the same deployment), but a file watcher does not see
 * changes written by another machine on a network file system, and a change
 * made through Slack lands on whichever instance served the request; the
 * notification makes every instance reload within a second either way. A
 * reload that a notification caused is not announced again (no ping-pong).
 * On SQLite (one instance) this does nothing.
 */
export const KNOWLEDGE_CHANNEL = 'knowledge_reload';

export interface KnowledgeSync {
  /** Call from the service's onReload. */
  announce(cause: ReloadCause): void;
  stop(): Promise<void>;
}

export async function shareKnowledgeReloads(options: {
  db: Db;
  knowledge: Pick<KnowledgeService, 'reload'>;
  owner: string;
  logger: Logger;
}): Promise<KnowledgeSync> {
  const { db, logger, owner } = options;
  if (!db.listen || !db.notify) return { announce: () => undefined, stop: async () => undefined };
  const notify = db.notify.bind(db);
  const stop = await db.listen(KNOWLEDGE_CHANNEL, (from) => {
    if (from === owner) return;
    logger.info({ from }, 'knowledge: reloading because another instance reloaded');
    options.knowledge.reload('peer').catch((err: unknown) => logger.error({ err }, 'knowledge reload failed'));
  });
  return {
    announce(cause) {
      if (cause === 'peer') return;
      notify(KNOWLEDGE_CHANNEL, owner).catch((err: unknown) => logger.warn({ err }, 'knowledge: could not tell other instances to reload'));
    },
    stop,
  };
}
