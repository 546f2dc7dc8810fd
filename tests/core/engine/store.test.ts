import { describe, expect, it } from 'vitest';
import { createEngineStore } from '../../../src/core/engine/index.js';
import { openStore } from '../../../src/storage/open-store.js';
import { onPostgres } from '../../helpers/postgres.js';
import { chat, makeEngine, tempDbPath } from './harness.js';

const key = { channel: 'console', chatId: 'c1', userId: 'u1' };
const now = new Date('2026-11-27T02:00:00Z');

describe('engine store', () => {
  it('writes a deferred save on flush, an immediate one at once, and hands out independent copies', async () => {
    const db = await openStore(tempDbPath());
    const store = createEngineStore(db, { flushMs: 60_000, cacheMs: 60_000 });
    await store.saveConversation(key, { locale: null, state: { v: 1, recent: ['家长: 你好'] } }, now, { defer: true });
    expect(await db.get('SELECT COUNT(*) AS n FROM conversations')).toEqual({ n: 0 });
    const copy = await store.loadConversation('console', 'c1');
    (copy!.state.recent as string[]).push('changed');
    expect((await store.loadConversation('console', 'c1'))!.state).toEqual({ v: 1, recent: ['家长: 你好'] });
    await store.flush();
    expect(await db.get('SELECT state_json FROM conversations')).toEqual({ state_json: '{"v":1,"recent":["家长: 你好"]}' });
    await store.saveConversation(key, { locale: 'en', state: { v: 1 } }, now);
    expect(await db.get('SELECT locale FROM conversations')).toEqual({ locale: 'en' });
    await db.close();
  });

  it.skipIf(!onPostgres)('on PostgreSQL reads and writes the database on every message: another instance may serve the chat next', async () => {
    const path = tempDbPath();
    const [dbA, dbB] = [await openStore(path), await openStore(path)];
    const [a, b] = [createEngineStore(dbA), createEngineStore(dbB)];
    await a.saveConversation(key, { locale: null, state: { v: 1, step: 'phone' } }, now, { defer: true });
    expect((await b.loadConversation('console', 'c1'))!.state).toEqual({ v: 1, step: 'phone' });
    await b.saveConversation(key, { locale: null, state: { v: 1, step: 'confirm' } }, now);
    expect((await a.loadConversation('console', 'c1'))!.state).toEqual({ v: 1, step: 'confirm' });
    await dbA.close();
    await dbB.close();
  });

  it('keeps the handoff context across a restart once flushed', async () => {
    const path = tempDbPath();
    const first = await makeEngine(path);
    await chat(first.engine).say('校车几点到彩屯小区');
    await first.engine.flush();
    await first.db.close();
    const second = await makeEngine(path);
    const opened = await chat(second.engine).say('转人工');
    const context = (await second.cases.history(opened[0]!.caseCode!)).filter((e) => e.kind === 'context').map((e) => e.note).join('\n');
    expect(context).toContain('家长: 校车几点到彩屯小区');
    await second.db.close();
  });
});
