import type { Db } from './db.js';

/**
 * Instances sharing one database. Each writes a heartbeat every few seconds;
 * one whose heartbeat is older than `staleMs` is taken for dead, and the
 * outbox rows it was sending go back to 'pending' for any live instance.
 */
export async function heartbeat(db: Db, id: string, now: Date): Promise<void> {
  await db.run(
    `INSERT INTO instances (id, started_at, heartbeat_at) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
    [id, now.toISOString(), now.toISOString()],
  );
}

/**
 * Registers process `owner` ("INSTANCE_ID#boot") of instance `name`, dropping
 * the rows of its previous lives: a restarted instance's old claims are then
 * orphaned at once instead of after the heartbeat timeout.
 */
export async function registerInstance(db: Db, name: string, owner: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run('DELETE FROM instances WHERE substr(id, 1, ?) = ?', [name.length + 1, `${name}#`]);
    await tx.run('INSERT INTO instances (id, started_at, heartbeat_at) VALUES (?, ?, ?)', [owner, now.toISOString(), now.toISOString()]);
  });
}

export async function leaveInstance(db: Db, id: string): Promise<void> {
  await db.run('DELETE FROM instances WHERE id = ?', [id]);
}

export interface InstanceRow {
  id: string;
  startedAt: string;
  heartbeatAt: string;
}

/** Instances with a heartbeat since `aliveSince`, by id. */
export async function liveInstances(db: Db, aliveSince: Date): Promise<InstanceRow[]> {
  return db.all<InstanceRow>(
    'SELECT id, started_at AS startedAt, heartbeat_at AS heartbeatAt FROM instances WHERE heartbeat_at >= ? ORDER BY id',
    [aliveSince.toISOString()],
  );
}
