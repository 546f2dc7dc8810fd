import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { purgeExpired } from '../../src/core/privacy/retention.js';
import { openDb, type Db } from '../../src/storage/db.js';
import { erasureProblem } from '../../src/storage/erased-bytes.js';
import { pendingRewrites } from '../../src/storage/erasure-rewrites-repo.js';
import { migrate } from '../../src/storage/migrate.js';
import { eraseChat } from '../../src/storage/retention-repo.js';
import { deleteWebSession } from '../../src/storage/web-repo.js';
import { purgeGapSamples } from '../../src/storage/gaps-repo.js';
import { purgeTelegramState } from '../../src/storage/telegram-repo.js';

/**
 * The erasure mark (erasure_rewrites) commits in the erase's own transaction: a process that dies right after the
 * erase committed, before the files were cleared, still leaves every touched table marked, so /healthz names them
 * and the next purge rewrites them; an erase that rolls back leaves no mark and no data changed. The crash is a
 * handle to the real database that stops answering the moment the erase's transaction has committed.
 * Runs on SQLite and, in the PostgreSQL run, on PostgreSQL.
 */
const CHAT = '660512';
const TEXT = '新桥小学课后服务收费不合理，电话13987660512';
const T0 = '2026-03-02T01:00:00.000Z';

let db: Db;
beforeEach(async () => {
  db = await openDb(join(mkdtempSync(join(tmpdir(), 'civicdesk-mark-')), 'mark.db'));
  await migrate(db);
  await db.run("INSERT INTO messages (channel, chat_id, text, intent, answered, created_at) VALUES ('telegram', ?, ?, 'kb-miss', 0, ?)", [CHAT, TEXT, T0]);
  await db.run(
    `INSERT INTO cases (code, type, channel, state, text, contact, chat_id, idempotency_key, received_at, created_at, updated_at)
     VALUES ('XH-2026-000512', 'complaint', 'telegram', 'open', ?, '13987660512', ?, 'telegram:660512:1', ?, ?, ?)`,
    [TEXT, CHAT, T0, T0, T0],
  );
  await db.run("INSERT INTO conversations (channel, chat_id, user_id, state_json, updated_at) VALUES ('telegram', ?, 'u512', '{}', ?)", [CHAT, T0]);
  await db.run('INSERT INTO web_sessions (id, token_hash, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)', ['ws512', 'h512', T0, T0, T0]);
  await db.run("INSERT INTO web_messages (session_id, role, payload, created_at) VALUES ('ws512', 'parent', ?, ?)", [JSON.stringify({ text: TEXT }), T0]);
});
afterEach(async () => {
  await db.close();
});

/** `real`, until its first transaction commits: from then on every call fails as if the process had died. */
function dyingAfterCommit(real: Db): Db {
  let dead = false;
  const died = async () => {
    throw new Error('the process died');
  };
  return new Proxy(real, {
    get(target, key, receiver) {
      if (key === 'dialect' || key === 'path') return Reflect.get(target, key, receiver);
      if (key === 'transaction')
        return async <T>(work: (tx: Db) => Promise<T>) => {
          if (dead) return died();
          const result = await target.transaction(work);
          dead = true;
          return result;
        };
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? (...args: unknown[]) => (dead ? died() : (value as (...a: unknown[]) => unknown).apply(target, args)) : value;
    },
  });
}

/** `real`, whose transactions fail at the statement matching `failAt` (and roll back). */
function failingAt(real: Db, failAt: RegExp): Db {
  const wrapTx = (tx: Db): Db =>
    new Proxy(tx, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key !== 'run' || typeof value !== 'function') return value;
        return async (sql: string, params?: unknown[]) => {
          if (failAt.test(sql)) throw new Error('disk I/O error');
          return (value as Db['run']).call(target, sql, params as never);
        };
      },
    });
  return new Proxy(real, {
    get(target, key, receiver) {
      if (key === 'transaction') return <T>(work: (tx: Db) => Promise<T>) => target.transaction((tx) => work(wrapTx(tx)));
      return Reflect.get(target, key, receiver);
    },
  });
}

const marked = async () => (await pendingRewrites(db)).map((p) => p.table);

describe('the erasure mark commits with the erase', () => {
  it('"删除我的数据": the process dies right after the erase committed; the touched tables are marked, /healthz names them', async () => {
    const result = await eraseChat(dyingAfterCommit(db), 'telegram', CHAT, '2026-03-05T02:00:00.000Z');
    expect(result.cases).toBe(1);
    expect(result.diskProblem).toContain('the process died');
    // The erase committed: the text is gone from the rows …
    expect(await db.get('SELECT 1 FROM messages WHERE text IS NOT NULL')).toBeUndefined();
    // … and every table it changed is marked, by the erase's own transaction.
    expect(await marked()).toEqual(['cases', 'conversations', 'messages']);
    expect(await erasureProblem(db)).toMatch(/cases: rewrite pending since 2026-03-05T02:00:00\.000Z/);
  });

  it('a web chat erase and a retention purge cut short the same way leave their marks too', async () => {
    await deleteWebSession(dyingAfterCommit(db), 'ws512', new Date('2026-03-05T02:00:00.000Z'));
    expect(await marked()).toEqual(['web_messages', 'web_sessions']);
    // The purge's first transaction commits, then the process dies.
    await expect(
      purgeExpired(dyingAfterCommit(db), { messageDays: 1, caseDays: 1, conversationDays: 1 }, new Date('2026-03-05T02:00:00.000Z')),
    ).rejects.toThrow('the process died');
    expect(await marked()).toEqual(['conversations', 'messages', 'web_messages', 'web_sessions']);
  });

  it('an erase that fails before it commits changes nothing and marks nothing', async () => {
    await expect(eraseChat(failingAt(db, /^INSERT INTO audit_log/), 'telegram', CHAT, '2026-03-05T02:00:00.000Z')).rejects.toThrow();
    expect((await db.get<{ text: string }>('SELECT text FROM messages'))?.text).toBe(TEXT);
    expect(await marked()).toEqual([]);
  });

  it('the next erase that finishes clears the marks left by the one that died', async () => {
    await eraseChat(dyingAfterCommit(db), 'telegram', CHAT, '2026-03-05T02:00:00.000Z');
    expect(await marked()).not.toEqual([]);
    const result = await deleteWebSession(db, 'ws512', new Date('2026-03-05T02:00:00.000Z'));
    if (result === null) expect(await marked()).toEqual([]);
    // PostgreSQL with another test file's open snapshot: the rewrite says so and keeps the marks with the reason.
    else expect(await erasureProblem(db)).toContain(result.split(':')[0]!);
  });

  it('every mark is dated by the caller\'s clock, not the wall clock (web erase, gap wordings, Telegram links)', async () => {
    // A fixed clock years away from today: a mark dated by the wall clock would not match it.
    const at = new Date('2031-06-01T02:00:00.000Z');
    await db.run("INSERT INTO gap_groups (key, status, samples, marked_by, marked_at) VALUES ('g512', 'ignored', '[\"幼儿园收费\"]', 'cli', ?)", [T0]);
    await db.run("INSERT INTO telegram_callbacks (token, payload, created_at) VALUES ('cb512', '{}', ?)", [T0]);
    await deleteWebSession(dyingAfterCommit(db), 'ws512', at);
    expect(await purgeGapSamples(dyingAfterCommit(db), '2031-01-01T00:00:00.000Z', at)).toBe(1);
    expect(await purgeTelegramState(dyingAfterCommit(db), new Date('2031-01-01T00:00:00.000Z'), at)).toEqual({ messageCases: 0, callbacks: 1 });
    const marks = await pendingRewrites(db);
    expect(marks.map((m) => [m.table, m.markedAt])).toEqual([
      ['gap_groups', at.toISOString()],
      ['telegram_callbacks', at.toISOString()],
      ['web_messages', at.toISOString()],
      ['web_sessions', at.toISOString()],
    ]);
  });
});
