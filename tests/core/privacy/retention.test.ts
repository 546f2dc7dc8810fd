import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { purgeExpired } from '../../../src/core/privacy/retention.js';
import { openDb, type Db } from '../../../src/storage/db.js';
import { migrate } from '../../../src/storage/migrate.js';
import { eraseChat } from '../../../src/storage/retention-repo.js';
import { caseCodesOfChat } from '../../../src/storage/cases-repo.js';
import { OPEN_STATES } from '../../../src/core/cases/transitions.js';

let db: Db;
beforeEach(async () => {
  db = await openDb(join(mkdtempSync(join(tmpdir(), 'civicdesk-ret-')), 'ret.db'));
  await migrate(db);
});
afterEach(() => db.close());

async function seedCase(code: string, state: string, closedAt: string | null, chatId = '1001') {
  const at = '2025-01-10T02:00:00.000Z';
  await db.run(
    `INSERT INTO cases (code, type, channel, state, text, contact, chat_id, citizen_ref, received_at, closed_at, created_at, updated_at,
       applicant_id_type, applicant_id_number)
     VALUES (?, 'complaint', 'telegram', ?, '我要投诉彩屯小学乱收费，电话13812345678', '13812345678', ?, 'u1', ?, ?, ?, ?, '居民身份证', '11010519491231002X')`,
    [code, state, chatId, at, closedAt, at, at],
  );
  const row = await db.get<{ id: number }>('SELECT id FROM cases WHERE code = ?', [code]);
  await db.run(
    "INSERT INTO case_events (case_id, at, actor, kind, note) VALUES (?, ?, 'citizen', 'followup', '孩子叫王小明')",
    [row!.id, at],
  );
  await db.run('INSERT INTO ratings (case_id, scale, value, label, rated_at) VALUES (?, ?, 5, ?, ?)', [
    row!.id,
    'stars',
    '非常满意',
    at,
  ]);
}

describe('purgeExpired', () => {
  it('anonymises old closed cases but keeps what the reports count', async () => {
    await seedCase('XH-2025-000001', 'closed', '2025-01-20T02:00:00.000Z');
    await seedCase('XH-2025-000002', 'claimed', null);
    await db.run(
      "INSERT INTO messages (channel, chat_id, text, intent, answered, created_at) VALUES ('telegram', '1001', '驾照怎么考', 'kb', 0, '2025-01-01T00:00:00.000Z')",
    );
    const counts = await purgeExpired(db, { messageDays: 90, caseDays: 365, conversationDays: 30 }, new Date('2026-11-28T00:00:00Z'));
    expect(counts.cases).toBe(1);
    expect(counts.messageTexts).toBe(1);

    const closed = await db.get<Record<string, unknown>>("SELECT * FROM cases WHERE code = 'XH-2025-000001'");
    expect(closed).toMatchObject({ text: '[已删除]', contact: null, chat_id: null, citizen_ref: null, type: 'complaint', state: 'closed' });
    // 第二十九条 身份证明: the number goes with the other personal fields; the document type is no personal data.
    expect(closed).toMatchObject({ applicant_id_number: null, applicant_id_type: '居民身份证' });
    const open = await db.get<Record<string, unknown>>("SELECT * FROM cases WHERE code = 'XH-2025-000002'");
    expect(open?.contact).toBe('13812345678');
    expect(open?.applicant_id_number).toBe('11010519491231002X');
    const notes = await db.all<{ note: string | null }>('SELECT note FROM case_events ORDER BY id');
    expect(notes.map((n) => n.note)).toEqual([null, '孩子叫王小明']);
    expect((await db.all('SELECT * FROM ratings')).length).toBe(2);
    expect((await db.get<{ text: string | null }>('SELECT text FROM messages'))?.text).toBeNull();
  });
});

describe('eraseChat', () => {
  it("a parent's erase ('refuse' while open) erases nothing while a case of the chat is open; a returned or withdrawn one does not hold it", async () => {
    await seedCase('XH-2026-000001', 'returned', '2026-11-01T00:00:00.000Z', '1001');
    await seedCase('XH-2026-000002', 'withdrawn', '2026-11-01T00:00:00.000Z', '1001');
    await seedCase('XH-2026-000003', 'reopened', '2026-11-01T00:00:00.000Z', '1001');
    const refused = await eraseChat(db, 'telegram', '1001', '2026-11-28T00:00:00.000Z', { whileOpen: 'refuse' });
    expect(refused).toMatchObject({ cases: 0, messages: 0, openCases: ['XH-2026-000003'] });
    const contacts = await db.all<{ code: string; contact: string | null }>('SELECT code, contact FROM cases ORDER BY code');
    expect(contacts.map((r) => r.contact)).toEqual(['13812345678', '13812345678', '13812345678']);
    expect(await db.all("SELECT id FROM audit_log WHERE action = 'erase-personal-data'")).toEqual([]);

    await db.run("UPDATE cases SET state = 'closed' WHERE code = 'XH-2026-000003'");
    const erased = await eraseChat(db, 'telegram', '1001', '2026-11-28T00:00:00.000Z', { whileOpen: 'refuse' });
    expect(erased).toMatchObject({ cases: 3, openCases: [] });
    expect((await db.all<{ contact: string | null }>('SELECT contact FROM cases')).map((r) => r.contact)).toEqual([null, null, null]);
  });

  it("erases one chat's personal data, leaves other chats alone and writes an audit row", async () => {
    await seedCase('XH-2026-000001', 'closed', '2026-11-01T00:00:00.000Z', '1001');
    await seedCase('XH-2026-000002', 'closed', '2026-11-01T00:00:00.000Z', '2002');
    expect(await caseCodesOfChat(db, { channel: 'telegram', chatId: '1001' }, OPEN_STATES)).toEqual([]);
    const result = await eraseChat(db, 'telegram', '1001', '2026-11-28T00:00:00.000Z');
    expect(result.cases).toBe(1);
    const rows = await db.all<{ code: string; contact: string | null; id_number: string | null }>(
      'SELECT code, contact, applicant_id_number AS id_number FROM cases ORDER BY code',
    );
    expect(rows).toEqual([
      { code: 'XH-2026-000001', contact: null, id_number: null },
      { code: 'XH-2026-000002', contact: '13812345678', id_number: '11010519491231002X' },
    ]);
    const audit = await db.all<{ action: string }>('SELECT action FROM audit_log');
    expect(audit).toEqual([{ action: 'erase-personal-data' }]);
  });
});
