import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngineStore } from '../../../src/core/engine/index.js';
import { createMessageBatcher } from '../../../src/core/engine/message-batcher.js';
import type { Db } from '../../../src/storage/db.js';
import { getMessage, type MessageInsert } from '../../../src/storage/messages-repo.js';
import { openStore } from '../../../src/storage/open-store.js';
import { tempDbPath } from './harness.js';

const now = new Date('2026-11-27T02:00:00Z');
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
});
