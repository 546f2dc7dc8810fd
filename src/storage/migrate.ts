import { AppError } from '../core/errors.js';
import type { Db } from './db.js';
import { lockKey } from './tx-locks.js';
import { migrations, type Migration } from './migrations/index.js';

/** The migration's DDL for this engine: its own PostgreSQL text when it has one (the PostgreSQL Db translates SQLite DDL itself). */
const ddlFor = (db: Db, migration: Migration) => (db.dialect === 'postgres' ? (migration.postgres ?? migration.up) : migration.up);

/**
 * Applies numbered, append-only migrations, each in its own transaction, and
 * records them in `schema_migrations`. Refuses to start when the database's
 * history is not a prefix of the migrations this code knows (a newer build
 * ran on it, or a migration was renamed or edited).
 */
export async function migrate(db: Db, list: readonly Migration[] = migrations): Promise<number[]> {
  // Under the same lock as each migration: two instances starting on an empty PostgreSQL database would
  // otherwise both create the table (CREATE TABLE IF NOT EXISTS is not safe against a concurrent one there).
  await db.transaction(async (tx) => {
    await lockKey(tx, 'schema_migrations');
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
  });
  const sorted = [...list].sort((a, b) => a.id - b.id);
  const applied = await db.all<{ id: number; name: string }>('SELECT id, name FROM schema_migrations ORDER BY id');
  for (const [i, row] of applied.entries()) {
    const known = sorted[i];
    if (!known || known.id !== row.id || known.name !== row.name) {
      throw new AppError(
        'migration_mismatch',
        `Database ${db.path} has migration ${row.id}-${row.name} applied, but this version of CivicDesk expects ` +
          `${known ? `${known.id}-${known.name}` : 'nothing'} at that position. ` +
          'Run the CivicDesk version that created this database, or restore a backup made for this version.',
      );
    }
  }
  const done: number[] = [];
  for (const migration of sorted.slice(applied.length)) {
    const ran = await db.transaction(async (tx) => {
      // Two instances starting at once: the second waits here, then finds the migration applied and skips it.
      await lockKey(tx, 'schema_migrations');
      if (await tx.get('SELECT id FROM schema_migrations WHERE id = ?', [migration.id])) return false;
      const ddl = ddlFor(tx, migration);
      if (ddl.trim()) await tx.exec(ddl);
      await migration.rewrite?.(tx);
      await tx.run('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)', [
        migration.id,
        migration.name,
        new Date().toISOString(),
      ]);
      return true;
    });
    if (ran) done.push(migration.id);
  }
  return done;
}
