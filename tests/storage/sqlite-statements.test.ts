import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDb, type Db } from '../../src/storage/db.js';
import { createStatementCache } from '../../src/storage/sqlite-statements.js';

// The SQLite backend keeps one prepared statement per SQL text (src/storage/sqlite-statements.ts).
// `sqliteFile` keeps these tests on SQLite in the PostgreSQL run too: the cache is SQLite's.

let dir: string;
let file: string;
let db: Db;
const open: Db[] = [];
const openFile = async () => {
  const opened = await openDb(file, { sqliteFile: true });
  open.push(opened);
  return opened;
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'civicdesk-statements-'));
  file = join(dir, 'test.db');
  db = await openFile();
  await db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, chat TEXT NOT NULL, body TEXT NOT NULL UNIQUE)');
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const d of open.splice(0)) await d.close().catch(() => undefined);
});

/** Counts the statements the driver prepares, by SQL text (run/get/all of sqlite3 prepare one each call). */
function countPrepares() {
  const counts = new Map<string, number>();
  const prepare = sqlite3.Database.prototype.prepare;
  vi.spyOn(sqlite3.Database.prototype, 'prepare').mockImplementation(function (this: sqlite3.Database, ...args: Parameters<typeof prepare>) {
    counts.set(args[0], (counts.get(args[0]) ?? 0) + 1);
    return prepare.apply(this, args);
  });
  return counts;
}

describe('SQLite prepared statements, one per SQL text', () => {
  it('prepares a repeated statement once and gives every call its own rows', async () => {
    const counts = countPrepares();
    const insert = 'INSERT INTO notes (chat, body) VALUES (?, ?) RETURNING id';
    const byChat = 'SELECT body FROM notes WHERE chat = ? ORDER BY id';
    for (let i = 0; i < 5; i++) await db.run(insert, [`c${i % 2}`, `第${i}条`]);
    expect(await db.all(byChat, ['c0'])).toEqual([{ body: '第0条' }, { body: '第2条' }, { body: '第4条' }]);
    expect(await db.all(byChat, ['c1'])).toEqual([{ body: '第1条' }, { body: '第3条' }]);
    expect(await db.get('SELECT count(*) AS n FROM notes')).toEqual({ n: 5 });
    expect(await db.get('SELECT count(*) AS n FROM notes')).toEqual({ n: 5 }); // no parameters: not the exhausted step
    expect([counts.get(insert), counts.get(byChat), counts.get('SELECT count(*) AS n FROM notes')]).toEqual([1, 1, 1]);
  });

  it('commits a write whose statement returned a row, and leaves no read open after a get of many rows', async () => {
    const other = await openFile();
    const { lastID } = await db.run('INSERT INTO notes (chat, body) VALUES (?, ?) RETURNING id', ['c', '一']);
    await db.run('INSERT INTO notes (chat, body) VALUES (?, ?) RETURNING id', ['c', '二']);
    // Another connection sees both rows: the statement that returned `id` did not keep its transaction open.
    expect(await other.all('SELECT body FROM notes ORDER BY id')).toEqual([{ body: '一' }, { body: '二' }]);
    expect(lastID).toBe(1);
    expect(await db.get('SELECT body FROM notes ORDER BY id')).toEqual({ body: '一' }); // first of two rows
    await other.close();
    // An active read on this connection would pin the log: a TRUNCATE checkpoint empties it only if none is.
    expect(await db.checkpoint!()).toBe(true);
    expect(statSync(`${file}-wal`).size).toBe(0);
  });

  it('ends a call only once its statement is reset: what runs next never meets it still active', async () => {
    // Before, the reset was queued behind the call but the call resolved at its answer: the connection's next call (the
    // checkpoint above, another connection's read of the row just written) could run in the driver's thread pool while
    // the statement still held its transaction open — the test above failed under load, now and then.
    let resetsUnderway = 0;
    const reset = sqlite3.Statement.prototype.reset;
    vi.spyOn(sqlite3.Statement.prototype, 'reset').mockImplementation(function (this: sqlite3.Statement, callback?: (err: null) => void) {
      resetsUnderway += 1;
      return reset.call(this, (err: null) => {
        resetsUnderway -= 1;
        callback?.(err);
      });
    });
    await db.run('INSERT INTO notes (chat, body) VALUES (?, ?) RETURNING id', ['c', '一']);
    expect(resetsUnderway).toBe(0);
    await db.run('INSERT INTO notes (chat, body) VALUES (?, ?) RETURNING id', ['c', '二']);
    expect(await db.get('SELECT body FROM notes ORDER BY id')).toEqual({ body: '一' });
    expect(resetsUnderway).toBe(0);
    await expect(db.all('SELECT body FROM notes WHERE missing = ?', [1])).rejects.toThrow(/no such column/);
    await db.run('INSERT INTO notes (chat, body) VALUES (?, ?) RETURNING id', ['c', '二']).catch(() => undefined); // UNIQUE: fails
    expect(resetsUnderway).toBe(0);
    expect(await db.checkpoint!()).toBe(true);
  });

  it('answers a get or a write in one trip to the driver: the statement ends idle without a reset after it', async () => {
    // Each reset was a second trip through the driver's thread pool, waited for by every get and run on the connection's
    // one queue (bench/sqlite-calls.ts). Stepped to the end in its own trip, the statement holds nothing afterwards.
    const reset = vi.spyOn(sqlite3.Statement.prototype, 'reset');
    const other = await openFile();
    for (const body of ['一', '二', '三']) await db.run('INSERT INTO notes (chat, body) VALUES (?, ?)', ['c', body]);
    const { id } = (await db.get<{ id: number }>('INSERT INTO notes (chat, body) VALUES (?, ?) RETURNING id', ['d', '四']))!;
    expect(await other.all('SELECT body FROM notes WHERE id = ?', [id])).toEqual([{ body: '四' }]); // committed at once
    expect(await db.get('SELECT body FROM notes WHERE chat = ? ORDER BY id', ['c'])).toEqual({ body: '一' }); // first of three
    expect(await db.get('SELECT body FROM notes WHERE chat = ?', ['x'])).toBeUndefined();
    expect(await db.run('UPDATE notes SET chat = ? WHERE chat = ?', ['e', 'c'])).toMatchObject({ changes: 3 });
    expect(await db.get('SELECT count(*) AS n FROM notes WHERE chat = ?', ['e'])).toEqual({ n: 3 });
    expect(reset).not.toHaveBeenCalled();
    await other.close();
    expect(await db.checkpoint!()).toBe(true); // no read left open on this connection either
    expect(statSync(`${file}-wal`).size).toBe(0);
  });

  it('finalizes its statements on close: the connection closes and SQLite removes the log', async () => {
    const finalize = vi.spyOn(sqlite3.Statement.prototype, 'finalize');
    await db.run('INSERT INTO notes (chat, body) VALUES (?, ?)', ['c', '一']);
    await db.get('SELECT body FROM notes WHERE chat = ?', ['c']);
    await db.all('SELECT body FROM notes');
    await db.close(); // rejects if a statement was left unfinalized
    expect(finalize).toHaveBeenCalledTimes(3);
    expect(existsSync(`${file}-wal`)).toBe(false); // the last connection closed cleanly
  });

  it('keeps working after a schema change: a cached SELECT * sees a new column, a dropped table is an error, then works again', async () => {
    const one = 'SELECT * FROM notes WHERE id = ?';
    await db.run('INSERT INTO notes (chat, body) VALUES (?, ?)', ['c', '一']);
    expect(await db.get(one, [1])).toEqual({ id: 1, chat: 'c', body: '一' });
    await db.exec("ALTER TABLE notes ADD COLUMN phone TEXT DEFAULT '138****0000'");
    expect(await db.get(one, [1])).toEqual({ id: 1, chat: 'c', body: '一', phone: '138****0000' });
    await db.exec('DROP TABLE notes');
    await expect(db.get(one, [1])).rejects.toThrow(/no such table: notes/);
    await db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    await db.run('INSERT INTO notes (body) VALUES (?)', ['二']);
    expect(await db.get(one, [1])).toEqual({ id: 1, body: '二' });
  });

  it('reports a failing statement with its text and runs it again once the input is good', async () => {
    const insert = 'INSERT INTO notes (chat, body) VALUES (?, ?)';
    await db.run(insert, ['c', '一']);
    await expect(db.run(insert, ['c', '一'])).rejects.toThrow(/Database error: SQLITE_CONSTRAINT: UNIQUE constraint failed: notes\.body.*statement: INSERT INTO notes/);
    await expect(db.all('SELECT missing_column FROM notes')).rejects.toThrow(/no such column: missing_column/);
    await db.run(insert, ['c', '二']);
    expect(await db.all('SELECT body FROM notes ORDER BY id')).toEqual([{ body: '一' }, { body: '二' }]);
    // inside a transaction too, and the failed transaction leaves nothing behind
    await expect(
      db.transaction(async (tx) => {
        await tx.run(insert, ['c', '三']);
        await tx.run(insert, ['c', '一']);
      }),
    ).rejects.toThrow(/UNIQUE constraint failed/);
    expect(await db.all('SELECT body FROM notes ORDER BY id')).toEqual([{ body: '一' }, { body: '二' }]);
  });

  it('prepares a new text once for callers that ask at the same moment, and closes cleanly after', async () => {
    const counts = countPrepares();
    const sql = 'SELECT body FROM notes WHERE chat = ?';
    await db.run('INSERT INTO notes (chat, body) VALUES (?, ?)', ['a', '一']);
    const inTx = await db.transaction((tx) => Promise.all([tx.get(sql, ['a']), tx.get(sql, ['b']), tx.get(sql, ['a'])]));
    expect(inTx).toEqual([{ body: '一' }, undefined, { body: '一' }]);
    expect(counts.get(sql)).toBe(1);
    await db.close();
  });

  it('holds no text longer than its cap and stays within its character budget, finalizing the least recently used', async () => {
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened = new sqlite3.Database(join(dir, 'budget.db'), (err) => (err ? reject(err) : resolve(opened)));
    });
    const cache = createStatementCache(() => raw, (error) => error, { limit: 10, budget: 100, maxText: 60 });
    await cache.run('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)', []);
    const finalize = vi.spyOn(sqlite3.Statement.prototype, 'finalize');
    const texts = ['SELECT v FROM t WHERE id = ?     ', 'SELECT v FROM t WHERE id > ?     ', 'SELECT v FROM t WHERE id < ?     ']; // 33 characters each
    await cache.run('INSERT INTO t (v) VALUES (?)', ['一']); // 28 characters: with the CREATE (47) 75 held
    for (const sql of texts) expect(await cache.all(sql, [0])).toEqual(sql.includes('>') ? [{ v: '一' }] : []);
    expect(cache.size).toBeLessThanOrEqual(3); // 100 characters at most: the oldest were finalized to make room
    expect(finalize.mock.calls.length).toBeGreaterThanOrEqual(2);
    const long = `SELECT v FROM t WHERE id IN (${Array.from({ length: 20 }, () => '?').join(', ')})`; // over 60 characters
    const before = cache.size;
    expect(await cache.all(long, Array.from({ length: 20 }, (_, i) => i + 1))).toEqual([{ v: '一' }]);
    expect(cache.size).toBe(before);
    await cache.finalizeAll();
    await new Promise<void>((resolve, reject) => raw.close((err) => (err ? reject(err) : resolve())));
  });
});
