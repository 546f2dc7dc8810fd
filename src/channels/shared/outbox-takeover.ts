import type { Db } from '../../storage/db.js';
import { requeueInterruptedOutbox, requeueOrphanedOutbox, type OutboxTarget } from '../../storage/outbox-repo.js';

/** This process among the instances sharing the database (src/app/instance.ts), as an outbox drainer sees it. */
export interface OutboxInstance {
  readonly owner: string;
  /** Heartbeats at or after this instant count as alive. */
  aliveSince(): Date;
  /** How often a draining sender looks for rows of instances that stopped (default 10 s). */
  readonly orphanSweepMs?: number;
}

/**
 * Who may finish an outbox row left in 'sending'. Without an instance (one process, tests) every such row of
 * `target` is this process's own, from a previous life: all go back to 'pending' at start. With one, rows are
 * claimed under its `owner` and only rows of instances that stopped beating (or restarted) are taken back,
 * at start and then every `orphanSweepMs` while draining: a restarting instance leaves a live one's rows alone
 * (no second post of a message in flight), and a dead one's rows do not wait for someone to restart.
 */
export function outboxTakeover(db: Db, target: OutboxTarget, instance: OutboxInstance | undefined) {
  const sweepMs = instance?.orphanSweepMs ?? 10_000;
  let lastSweep = 0;
  const takeBack = () => {
    lastSweep = Date.now();
    return instance ? requeueOrphanedOutbox(db, target, instance.aliveSince()) : requeueInterruptedOutbox(db, target);
  };
  return {
    /** The owner to claim rows under (null: one process, no owner recorded). */
    owner: instance?.owner ?? null,
    atStart: takeBack,
    /** With instances, at most every `sweepMs`: rows of instances that died, back to 'pending'; their count. */
    sweep: async (): Promise<number> => (instance && Date.now() - lastSweep >= sweepMs ? takeBack() : 0),
  };
}
