import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onPostgres } from '../helpers/postgres.js';
import { runCliCaptured } from '../helpers/cli.js';
import { acquireInstanceLock } from '../../src/storage/instance-lock.js';
import { openStore } from '../../src/storage/open-store.js';

const cli = runCliCaptured;

async function auditActions(path: string): Promise<string[]> {
  const db = await openStore(path);
  const rows = await db.all<{ action: string }>('SELECT action FROM audit_log ORDER BY id');
  await db.close();
  return rows.map((r) => r.action);
}

describe('cli: db restore', () => {
  // Restore replaces the SQLite file at DATABASE_PATH; in the PostgreSQL run that path is a schema, not a file.
  // On PostgreSQL `db restore` refuses and names pg_restore (tests/cli/db-copy.test.ts).
  it.skipIf(onPostgres)('restores a backup and keeps the replaced database aside', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-restore-'));
    const dbPath = join(dir, 'live.db');
    const env = { DATABASE_PATH: dbPath };
    const db = await openStore(dbPath);
    await db.run("INSERT INTO audit_log (at, actor, action) VALUES ('2026-11-01', 'test', 'before-backup')");
    await db.close();
    expect((await cli(['db', 'backup', join(dir, 'b.db')], env)).code).toBe(0);

    const again = await openStore(dbPath);
    await again.run("INSERT INTO audit_log (at, actor, action) VALUES ('2026-11-02', 'test', 'after-backup')");
    await again.close();

    const result = await cli(['db', 'restore', join(dir, 'b.db')], env);
    expect(result.err).toBe('');
    expect(result.out).toMatch(/^Restored .*live\.db from .*b\.db\. The previous database is kept as .*live\.db\.before-restore-/);
    // The backup's own audit row is written after the copy was taken, so the restored file predates it; the restore adds its own.
    expect(await auditActions(dbPath)).toEqual(['before-backup', 'db.restore']);
    const kept = readdirSync(dir).find((f) => f.startsWith('live.db.before-restore-'));
    expect(await auditActions(join(dir, kept!))).toContain('after-backup');
  });

  it.skipIf(onPostgres)("refuses to overwrite a running bot's database", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-restore-'));
    const dbPath = join(dir, 'live.db');
    (await openStore(dbPath)).close();
    (await openStore(join(dir, 'b.db'))).close();
    // Pretend another live process (our parent) holds the database.
    writeFileSync(`${dbPath}.pid`, String(process.ppid));
    const result = await cli(['db', 'restore', join(dir, 'b.db')], { DATABASE_PATH: dbPath });
    expect(result.code).toBe(1);
    expect(result.err).toContain(`CivicDesk (pid ${process.ppid}) is running on ${dbPath}; stop it first`);
  });

  it('refuses a file that is not a database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-restore-'));
    writeFileSync(join(dir, 'junk.db'), 'not sqlite at all, just text that is long enough to be read');
    const result = await cli(['db', 'restore', join(dir, 'junk.db')], { DATABASE_PATH: join(dir, 'live.db') });
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/junk\.db is not a usable CivicDesk database backup; nothing was changed/);
  });

  it('a second bot on the same database is refused; a stale pid file is ignored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-lock-'));
    const dbPath = join(dir, 'x.db');
    writeFileSync(`${dbPath}.pid`, String(process.ppid));
    expect(() => acquireInstanceLock(dbPath)).toThrow(`Another CivicDesk (pid ${process.ppid}) is already running on ${dbPath}`);
    writeFileSync(`${dbPath}.pid`, '999999999');
    const release = acquireInstanceLock(dbPath);
    release();
  });
});
