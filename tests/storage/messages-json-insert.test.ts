import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/storage/db.js';
import { insertMessage, insertMessages, type MessageInsert } from '../../src/storage/messages-repo.js';
import { openStore } from '../../src/storage/open-store.js';
import { onPostgres } from '../helpers/postgres.js';

const at = new Date('2026-11-27T02:00:00Z');
const COLUMNS = 'channel, chat_id, text, intent, answered, confident, entry_id, section, score, question_id, created_at';

let db: Db;
beforeEach(async () => {
  db = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-messages-json-')), 'test.db'));
});
afterEach(async () => {
  await db.close();
});

/** Every column of a row, with SQLite's type of each value (an INTEGER 1 and a REAL 1.0 read alike in JS). */
async function stored(ids: number[]): Promise<unknown[]> {
  const typed = COLUMNS.split(', ').map((c) => `${c}, typeof(${c}) AS ${c}_type, hex(${c}) AS ${c}_hex`).join(', ');
  return db.all(`SELECT ${typed} FROM messages WHERE id IN (${ids.join(',')}) ORDER BY id`);
}

// SQLite only: the JSON batch is SQLite's path (PostgreSQL binds the values, covered by messages-repo.test.ts),
// and the comparison reads SQLite's typeof() and hex() of each stored value.
describe.skipIf(onPostgres)('a batch of message rows written as one JSON parameter', () => {
  it('stores every value exactly as binding it row by row does', async () => {
    const texts = [
      null, '', '学籍号怎么查', 'He said "hi"\\ \n\t\r', 'a\u2028b\u2029c', 'x\u0000y', '\u0001\u001f\u007f', '😀👨‍👩‍👧 emoji', '𠀀 outside the BMP',
      '   spaces   ', '{"json": [1, 2]}', "O'Brien; DROP TABLE messages; --", '长'.repeat(5000),
    ];
    const rows: MessageInsert[] = [];
    for (let k = 0; k <= 1000; k++) {
      rows.push({
        channel: k % 2 ? 'telegram' : 'web',
        chatId: `chat-${k}`,
        text: texts[k % texts.length]!,
        intent: k % 3 ? 'kb' : 'kb-elsewhere',
        answered: k % 2 === 0,
        confident: k % 5 === 0,
        entryId: k % 7 ? `entry-${k}` : null,
        section: k % 4 ? '办理材料' : null,
        // Every score decide can give: thousandths from 0 to 1 (and none).
        score: k % 11 === 0 ? null : k / 1000,
        // A pressed choice names its question's row id (whole numbers, large ones too).
        questionId: k % 3 === 1 ? k * 7919 : null,
      });
    }
    const batched = await insertMessages(db, rows.map((row) => ({ row, now: at })));
    const single: number[] = [];
    for (const row of rows) single.push(await insertMessage(db, row, at));
    expect(batched).toHaveLength(rows.length);
    expect(await stored(batched)).toEqual(await stored(single));
    // Each id is its own row, in the order given.
    const chats = await db.all<{ id: number; chatId: string }>(`SELECT id, chat_id AS chatId FROM messages WHERE id IN (${batched.join(',')})`);
    const byId = new Map(chats.map((r) => [r.id, r.chatId]));
    batched.forEach((id, i) => expect(byId.get(id)).toBe(`chat-${i}`));
  });

  it('writes a batch holding a value JSON would not give back the same (a lone surrogate, an unrounded score) as bound values', async () => {
    const rows: MessageInsert[] = [
      { channel: 'web', chatId: '1', text: 'broken \ud800 half', intent: 'kb', answered: false, confident: false },
      { channel: 'web', chatId: '2', text: null, intent: 'kb', answered: true, confident: true, entryId: 'e', section: null, score: 0.1 + 0.2 },
      { channel: 'web', chatId: '3', text: null, intent: 'kb', answered: true, confident: true, entryId: 'e', section: null, score: 0.004489476412762644 },
    ];
    for (const row of rows) {
      const [batched] = await insertMessages(db, [{ row, now: at }, { row: { ...row, chatId: 'other' }, now: at }]);
      const single = await insertMessage(db, row, at);
      expect(await stored([batched!])).toEqual(await stored([single]));
    }
    expect(await db.get('SELECT score FROM messages WHERE chat_id = ? LIMIT 1', ['2'])).toEqual({ score: 0.1 + 0.2 });
    expect(await db.get('SELECT score FROM messages WHERE chat_id = ? LIMIT 1', ['3'])).toEqual({ score: 0.004489476412762644 });
  });
});
