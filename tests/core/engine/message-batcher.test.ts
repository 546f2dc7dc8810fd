import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngineStore } from '../../../src/core/engine/index.js';
import { createMessageBatcher } from '../../../src/core/engine/message-batcher.js';
import type { Db, Params } from '../../../src/storage/db.js';
import { getMessage, type MessageInsert } from '../../../src/storage/messages-repo.js';
import { openStore } from '../../../src/storage/open-store.js';
import { tempDbPath } from './harness.js';

const now = new Date('2026-11-27T02:00:00Z');
/** Parameters per row of the messages INSERT (messages-repo.ts). */
const INSERT_COLUMNS = 11;
const QUESTIONS = ['孩子几岁能上一年级', '学籍号怎么查', '校车几点到彩屯小区', '幼儿园怎么报名', '转学要办什么手续'];
const row = (chat: number): MessageInsert => ({
  channel: 'telegram',
  chatId: `chat-${chat}`,
  text: QUESTIONS[chat % QUESTIONS.length]!,
  intent: 'kb',
  answered: false,
  confident: false,
});

/** Counts the statements that reach the database. */
function counting(db: Db): { db: Db; statements: () => number } {
  let n = 0;
  const wrapped: Db = {
    ...db,
    path: db.path,
    run: (sql, params) => (n++, db.run(sql, params)),
    all: (sql, params) => (n++, db.all(sql, params)),
    get: (sql, params) => (n++, db.get(sql, params)),
  };
  return { db: wrapped, statements: () => n };
}

let db: Db;
beforeEach(async () => {
  db = await openStore(tempDbPath());
});
afterEach(async () => {
  await db.close();
});

describe('message group commit', () => {
  it('writes the rows of 60 chats arriving together in a few statements, each caller getting the id of its own row', async () => {
    const counted = counting(db);
    const batcher = createMessageBatcher(counted.db);
    const ids = await Promise.all(Array.from({ length: 60 }, (_, c) => batcher.insert(row(c), now)));
    expect(counted.statements()).toBeLessThanOrEqual(2);
    expect(new Set(ids).size).toBe(60);
    for (const [c, id] of ids.entries()) {
      const stored = await getMessage(db, id);
      expect(stored).toMatchObject({ chatId: `chat-${c}`, text: QUESTIONS[c % QUESTIONS.length], intent: 'kb', answered: false });
    }
  });

  it('fails only the caller whose row is rejected by the database; the others are written', async () => {
    const batcher = createMessageBatcher(db);
    const bad = { ...row(3), intent: null as unknown as string }; // violates NOT NULL
    const results = await Promise.allSettled([batcher.insert(row(1), now), batcher.insert(bad, now), batcher.insert(row(2), now)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/Database error: .*NOT NULL constraint failed: messages\.intent/);
    expect(await db.all('SELECT chat_id AS chatId, text FROM messages ORDER BY id')).toEqual([
      { chatId: 'chat-1', text: '学籍号怎么查' },
      { chatId: 'chat-2', text: '校车几点到彩屯小区' },
    ]);
  });

  it('has every handed-in row committed when the engine store is flushed', async () => {
    const store = createEngineStore(db);
    const pending = Array.from({ length: 250 }, (_, c) => store.insertMessage(row(c), now));
    await store.flush();
    expect(await db.get('SELECT COUNT(*) AS n FROM messages')).toEqual({ n: 250 });
    expect((await Promise.all(pending)).length).toBe(250);
  });

  it('keeps a message row written while a case transaction rolls back', async () => {
    const store = createEngineStore(db);
    let logged: Promise<number> = Promise.resolve(0);
    await expect(
      db.transaction(async (tx) => {
        await tx.run("INSERT INTO job_runs (job, scheduled_for, started_at, status) VALUES ('digest', '2026-11-27', '2026-11-27T02:00:00Z', 'running')");
        logged = store.insertMessage(row(4), now);
        await new Promise((resolve) => setImmediate(resolve));
        throw new Error('filing failed');
      }),
    ).rejects.toThrow('filing failed');
    const id = await logged;
    expect(await getMessage(db, id)).toMatchObject({ chatId: 'chat-4', text: '转学要办什么手续' });
    expect(await db.get('SELECT COUNT(*) AS n FROM job_runs')).toEqual({ n: 0 });
  });

  it('sends the rows that queued during a commit before resuming its callers, and resumes each caller only once its own row is committed', async () => {
    const events: string[] = [];
    // Multi-row INSERTs go through all (… RETURNING id) with the rows as one JSON array, single rows through run.
    const observe = <R>(sql: string, params: Params | undefined, write: () => Promise<R>): Promise<R> => {
      if (!sql.startsWith('INSERT INTO messages')) return write();
      const json = Array.isArray(params) && params.length === 1 && typeof params[0] === 'string';
      const rows = json ? (JSON.parse(params[0] as string) as unknown[]).length : (Array.isArray(params) ? params.length : 0) / INSERT_COLUMNS;
      events.push(`send ${rows}`);
      return write().then((r) => (events.push(`commit ${rows}`), r));
    };
    const observed: Db = {
      ...db,
      path: db.path,
      run: (sql, params) => observe(sql, params, () => db.run(sql, params)),
      all: (sql, params) => observe(sql, params, () => db.all(sql, params)),
    };
    const batcher = createMessageBatcher(observed);
    const resumed = async (chat: number) => {
      const id = await batcher.insert(row(chat), now);
      events.push(`resume ${chat}`);
      // Acknowledged only after commit: the row is in the database when its caller resumes.
      if ((await getMessage(db, id))?.chatId !== `chat-${chat}`) events.push(`row of ${chat} missing`);
    };
    const first = [1, 2, 3, 4].map(resumed);
    await new Promise((resolve) => setImmediate(resolve)); // the first four are being written now
    const second = [5, 6].map(resumed);
    await Promise.all([...first, ...second]);
    expect(events.slice(0, 3)).toEqual(['send 4', 'commit 4', 'send 2']);
    expect(events.indexOf('resume 1')).toBeGreaterThan(events.indexOf('send 2'));
    expect(events.indexOf('resume 5')).toBeGreaterThan(events.indexOf('commit 2'));
    expect(events.filter((e) => e.startsWith('resume'))).toEqual(['resume 1', 'resume 2', 'resume 3', 'resume 4', 'resume 5', 'resume 6']);
  });

  it('never acknowledges a row whose commit failed: its caller gets the error and no id', async () => {
    const full = () => Promise.reject(new Error('SQLITE_FULL: database or disk is full'));
    const failing: Db = {
      ...db,
      path: db.path,
      run: (sql, params) => (sql.startsWith('INSERT INTO messages') ? full() : db.run(sql, params)),
      all: (sql, params) => (sql.startsWith('INSERT INTO messages') ? full() : db.all(sql, params)),
    };
    const batcher = createMessageBatcher(failing);
    const results = await Promise.allSettled([1, 2, 3].map((c) => batcher.insert(row(c), now)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/disk is full/);
    expect(await db.get('SELECT COUNT(*) AS n FROM messages')).toEqual({ n: 0 });
    // The batcher keeps working once the database accepts writes again.
    const healthy = createMessageBatcher(db);
    expect(await getMessage(db, await healthy.insert(row(7), now))).toMatchObject({ chatId: 'chat-7' });
  });
});
