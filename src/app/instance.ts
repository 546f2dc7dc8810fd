import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { Db } from '../storage/db.js';
import { heartbeat, leaveInstance, liveInstances, registerInstance } from '../storage/instances-repo.js';

/**
 * This process among the instances sharing the database. `owner`
 * ("INSTANCE_ID#boot") marks the outbox rows it sends and the job runs it
 * leases; a heartbeat every `beatMs` says it is alive, and an instance silent
 * for `staleMs` is taken for dead (its rows are taken over).
 */
export interface InstancePresence {
  readonly name: string;
  readonly owner: string;
  /** Heartbeats at or after this instant count as alive. */
  aliveSince(): Date;
  peers(): Promise<string[]>;
  /** 'file replaced' while another file sits at the SQLite path (see Db.keepFile), else null. */
  fileProblem(): string | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createInstancePresence(options: {
  db: Db;
  name: string;
  logger: Logger;
  beatMs?: number;
  staleMs?: number;
}): InstancePresence & { keepFile(): Promise<void> } {
  const beatMs = options.beatMs ?? 5_000;
  const staleMs = options.staleMs ?? 20_000;
  const owner = `${options.name}#${randomUUID().slice(0, 8)}`;
  let timer: NodeJS.Timeout | null = null;
  let fileProblem: string | null = null;
  /** The database file deleted under us is written back at once (nothing lost); a replaced one is reported. */
  const keepFile = async () => {
    const state = (await options.db.keepFile?.()) ?? 'ok';
    if (state === 'restored')
      options.logger.error(
        { path: options.db.path },
        'database file was deleted while CivicDesk ran; it was written back from the open connection (nothing lost). Find what deleted it.',
      );
    if (state === 'replaced' && fileProblem === null)
      options.logger.error(
        { path: options.db.path },
        'database file was replaced by another file while CivicDesk ran; CivicDesk keeps writing to the file it opened, which is no longer at DATABASE_PATH. Stop CivicDesk and use "npm run cli -- db restore FILE" to restore a backup.',
      );
    fileProblem = state === 'replaced' ? 'file replaced' : null;
  };
  return {
    fileProblem: () => fileProblem,
    keepFile,
    name: options.name,
    owner,
    aliveSince: () => new Date(Date.now() - staleMs),
    async peers() {
      const rows = await liveInstances(options.db, new Date(Date.now() - staleMs));
      return [...new Set(rows.map((r) => r.id.split('#')[0]!))];
    },
    async start() {
      await registerInstance(options.db, options.name, owner, new Date());
      timer = setInterval(() => {
        keepFile()
          .then(() => heartbeat(options.db, owner, new Date()))
          .catch((err: unknown) => options.logger.warn({ err }, 'instance heartbeat failed'));
      }, beatMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await leaveInstance(options.db, owner).catch(() => undefined);
    },
  };
}
