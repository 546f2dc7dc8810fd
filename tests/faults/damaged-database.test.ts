import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrate.js';
import { openStore } from '../../src/storage/open-store.js';
import { onPostgres } from '../helpers/postgres.js';

/**
 * A damaged database file at start (a disk fault, a half-copied backup, the wrong file in DATABASE_PATH):
 * the start stops with one message that names the file and says what to do, and the file is left exactly
 * as it was — no silent new empty database in its place. SQLite files only (PostgreSQL checks its own pages).
 */
const tempDir = () => mkdtempSync(join(tmpdir(), 'civicdesk-damaged-'));

async function damagedDatabase(): Promise<string> {
  const path = join(tempDir(), 'civicdesk.db');
  const db = await openDb(path, { sqliteFile: true });
  await migrate(db);
  for (let i = 0; i < 400; i += 1)
    await db.run("INSERT INTO audit_log (at, actor, action, detail) VALUES ('2026-11-27T02:00:00Z', 'test', 'x', ?)", ['记录'.repeat(200)]);
  await db.checkpoint?.();
  await db.close();
  const bytes = readFileSync(path);
  const pageSize = bytes.readUInt16BE(16);
  // Overwrite one page of the audit log's rows near the end, keeping the header and the schema valid:
  // the file opens, and only reading that table would meet the damage.
  const page = Math.floor(bytes.length / pageSize) - 3;
  bytes.fill(0xa5, page * pageSize, page * pageSize + pageSize);
  writeFileSync(path, bytes);
  return path;
}

describe.skipIf(onPostgres)('a damaged database file at start', () => {
  it('a file that is not SQLite: refused with its name and the restore hint, left untouched', async () => {
    const dir = tempDir();
    const path = join(dir, 'civicdesk.db');
    const garbage = Buffer.from('这不是数据库文件 / not a database '.repeat(300));
    writeFileSync(path, garbage);
    await expect(openStore(path)).rejects.toThrow(new RegExp(`${path}.*not a database.*restore the last backup`, 's'));
    expect(readFileSync(path).equals(garbage)).toBe(true);
  });

  it('a SQLite file with damaged pages: refused before any write, with the name and the restore hint', async () => {
    const path = await damagedDatabase();
    const before = readFileSync(path);
    await expect(openStore(path)).rejects.toThrow(/failed SQLite's check .*restore the last backup/s);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('npm start on it exits 1 with one clear line, no stack trace, and no new database beside it', () => {
    const dir = tempDir();
    const path = join(dir, 'civicdesk.db');
    writeFileSync(path, Buffer.alloc(8192, 0x42));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, DATABASE_PATH: path, LOG_FILE: join(dir, 'log.jsonl'), TELEGRAM_BOT_TOKEN: '', SLACK_BOT_TOKEN: '' },
      input: '',
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    const last = run.stderr.trim().split('\n').at(-1) ?? '';
    expect(last).toContain(path);
    expect(last).toMatch(/damaged or is not a CivicDesk database.*db restore/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(dir).filter((f) => f.endsWith('.db'))).toEqual(['civicdesk.db']);
  });
});
