import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrate.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { onPostgres, withEmptySchemas } from '../helpers/postgres.js';

const tempDbPath = () => join(mkdtempSync(join(tmpdir(), 'civicdesk-')), 'nested', 'test.db');
/** An empty database: on PostgreSQL too, where test schemas otherwise start migrated (tests/helpers/postgres-template.ts). */
const openEmpty = (path: string) => withEmptySchemas(() => openDb(path));

describe('migrate', () => {
  it('creates the folder, applies every migration once and records them', async () => {
    const db = await openEmpty(tempDbPath());
    expect(await migrate(db)).toEqual(migrations.map((m) => m.id));
    expect(await migrate(db)).toEqual([]);
    const rows = await db.all<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual(migrations.map((m) => m.id));
    if (!onPostgres) {
      // SQLite's settings (PostgreSQL has neither switch: its log and foreign keys are always on).
      const mode = await db.get<{ journal_mode: string }>('PRAGMA journal_mode');
      expect(mode?.journal_mode).toBe('wal');
      const fk = await db.get<{ foreign_keys: number }>('PRAGMA foreign_keys');
      expect(fk?.foreign_keys).toBe(1);
    }
    await db.close();
  });

  it('refuses to start when the applied history does not match', async () => {
    const path = tempDbPath();
    const db = await openEmpty(path);
    await migrate(db);
    await db.run("UPDATE schema_migrations SET name = 'renamed' WHERE id = 1");
    await expect(migrate(db)).rejects.toThrow(/has migration 1-renamed applied, but this version of CivicDesk expects 1-initial/);
    await db.close();
  });

  it('rolls a failed transaction back and keeps the connection usable', async () => {
    const db = await openEmpty(tempDbPath());
    await migrate(db);
    await expect(
      db.transaction(async (tx) => {
        await tx.run("INSERT INTO audit_log (at, actor, action) VALUES ('2026-01-01', 'test', 'x')");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await db.all('SELECT * FROM audit_log')).length).toBe(0);
    await db.close();
  });
});
