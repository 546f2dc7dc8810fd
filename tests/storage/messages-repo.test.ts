import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConversation, saveConversations } from '../../src/storage/conversations-repo.js';
import type { Db } from '../../src/storage/db.js';
import { insertMessage, insertMessages, type MessageInsert } from '../../src/storage/messages-repo.js';
import { openStore } from '../../src/storage/open-store.js';

const at = new Date('2026-11-27T02:00:00Z');
const base: MessageInsert = { channel: 'telegram', chatId: '42', text: null, intent: 'kb', answered: false, confident: false };

let db: Db;
beforeEach(async () => {
  db = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-messages-')), 'test.db'));
});
afterEach(async () => {
  await db.close();
});

describe('batched writes', () => {
  it('inserts 450 messages in statements of 200 and returns each row its own id, in the order given', async () => {
    await insertMessage(db, { ...base, text: '先来的一条' }, at);
    const rows = Array.from({ length: 450 }, (_, i) => ({ row: { ...base, chatId: `chat-${i}`, text: `第${i}个问题：学籍号怎么查` }, now: at }));
    const ids = await insertMessages(db, rows);
    expect(ids).toHaveLength(450);
    const stored = await db.all<{ id: number; chatId: string; text: string }>('SELECT id, chat_id AS chatId, text FROM messages WHERE id IN (' + ids.join(',') + ')');
    const byId = new Map(stored.map((r) => [r.id, r]));
    ids.forEach((id, i) => expect(byId.get(id)).toEqual({ id, chatId: `chat-${i}`, text: `第${i}个问题：学籍号怎么查` }));
  });

  it('upserts many conversations in one call; the last row of a repeated chat wins', async () => {
    const key = (chatId: string) => ({ channel: 'telegram', chatId, userId: `u-${chatId}` });
    await saveConversations(db, [
      { key: key('1'), value: { locale: 'zh', state: { v: 1, recent: ['家长: 你好'] } }, now: at },
      { key: key('2'), value: { locale: 'en', state: { v: 1, recent: [] } }, now: at, stateJson: '{"v":1,"recent":["家长: hello"]}' },
      { key: key('1'), value: { locale: 'zh', state: { v: 1, recent: ['家长: 转人工'] } }, now: at },
    ]);
    expect(await loadConversation(db, 'telegram', '1')).toEqual({ locale: 'zh', state: { v: 1, recent: ['家长: 转人工'] } });
    expect(await loadConversation(db, 'telegram', '2')).toEqual({ locale: 'en', state: { v: 1, recent: ['家长: hello'] } });
  });
});
