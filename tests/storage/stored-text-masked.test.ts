import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/storage/audit-repo.js';
import { insertCase, insertCaseEvent, updateCase } from '../../src/storage/cases-repo.js';
import { openDb, type Db } from '../../src/storage/db.js';
import { insertMessage, setMessageFeedback } from '../../src/storage/messages-repo.js';
import { migrate } from '../../src/storage/migrate.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { withEmptySchemas } from '../helpers/postgres.js';

/**
 * What is written to disk, read back with plain SQL (SQLite and, under test:pg, PostgreSQL): the raw number is kept
 * only where staff need it — the case's contact field, and a phone in the case text, which the audited staff-only
 * detail shows for a call-back. Everything else is stored masked; migration 0041 masks rows written before.
 */
const T = '2026-11-27T02:00:00.000Z';
const ID = '21050220190830123X';
const ID_SPACED = '210502\u200B20190830\u200B123X';
const PHONE = '13812345678';

let db: Db;
beforeEach(async () => {
  db = await withEmptySchemas(() => openDb(join(mkdtempSync(join(tmpdir(), 'civicdesk-masked-')), 'test.db')));
});
afterEach(async () => {
  await db.close();
});

const newCase = (code: string, text: string) =>
  db.transaction((tx) => insertCase(tx, { code, type: 'complaint', channel: 'telegram', state: 'received', text, contact: PHONE, chatId: '42', receivedAt: T, createdAt: T, updatedAt: T }));

describe('text as it is written now', () => {
  beforeEach(async () => {
    await migrate(db);
  });

  it('a case keeps the contact whole; its text, close note and events store phones and ID numbers masked', async () => {
    const id = await newCase('XH-2026-000001', `孩子身份证${ID}${PHONE}，请回电`);
    await db.transaction((tx) => updateCase(tx, id, { closeNote: '请致电学校024-42841234' }));
    const inserted = await db.transaction((tx) =>
      insertCaseEvent(tx, { caseId: id, at: T, actor: 'citizen', kind: 'followup', fromState: null, toState: null, note: `补充：身份证 ${ID_SPACED}，电话138\u200B1234\u200B5678` }),
    );
    const row = await db.get<{ text: string; contact: string; close_note: string }>('SELECT text, contact, close_note FROM cases WHERE id = ?', [id]);
    expect(row).toEqual({ text: '孩子身份证210502********123X 138****5678，请回电', contact: PHONE, close_note: '请致电学校024-****34' });
    const event = await db.get<{ note: string }>('SELECT note FROM case_events WHERE case_id = ?', [id]);
    expect(event!.note).toBe('补充：身份证 210502********123X，电话138****5678');
    // The event as the desk builds the citizen's message from it in this transaction: the phone whole, the ID masked.
    expect(inserted.note).toBe('补充：身份证 210502********123X，电话138\u200B1234\u200B5678');
  });

  it('an unanswered question is stored with its phone and ID number masked, also when marked not helpful', async () => {
    const base = { channel: 'telegram', chatId: '42', intent: 'kb', answered: false, confident: false };
    const refused = await insertMessage(db, { ...base, text: `电话138\u200B1234\u200B5678，身份证${ID}能报名吗` }, new Date(T));
    const rated = await insertMessage(db, { ...base, text: null, answered: true }, new Date(T));
    await setMessageFeedback(db, rated, false, '打0086 139 8765 4321问过了');
    const rows = await db.all<{ id: number; text: string }>('SELECT id, text FROM messages ORDER BY id');
    expect(rows).toEqual([
      { id: refused, text: '电话138****5678，身份证210502********123X能报名吗' },
      { id: rated, text: '打0086 139****4321问过了' },
    ]);
  });

  it('an audit row masks a number in its subject and detail', async () => {
    await recordAudit(db, { actor: 'cli', action: 'test', subject: `电话${PHONE}`, detail: { said: `身份证${ID}` }, at: new Date(T) });
    const row = await db.get<{ subject: string; detail: string }>('SELECT subject, detail FROM audit_log');
    expect(row).toEqual({ subject: '电话138****5678', detail: '{"said":"身份证210502********123X"}' });
  });
});

describe('migration 0041 on rows written under the old rules', () => {
  it('masks them again as they are written now, and leaves the rest', async () => {
    await migrate(db, migrations.filter((m) => m.id < 41));
    // What the old code stored: raw text, and masks that missed a zero-width space or an ID run into a phone.
    const caseId = (
      await db.run(
        `INSERT INTO cases (code, type, channel, state, text, contact, received_at, created_at, updated_at) VALUES ('XH-2026-000009', 'complaint', 'telegram', 'received', ?, ?, ?, ?, ?)`,
        [`身份证${ID}${PHONE}`, PHONE, T, T, T],
      )
    ).lastID;
    await db.run("INSERT INTO case_events (case_id, at, actor, kind, note) VALUES (?, ?, 'citizen', 'followup', ?)", [caseId, T, `身份证 ${ID}`]);
    await db.run("INSERT INTO case_events (case_id, at, actor, kind, note) VALUES (?, ?, 'slack:U1', 'note', '已电话联系，案件XH-2026-000009')", [caseId, T]);
    await db.run("INSERT INTO messages (channel, chat_id, text, intent, answered, created_at) VALUES ('telegram', '42', ?, 'kb', 0, ?)", [`电话${PHONE}能报名吗`, T]);
    await db.run("INSERT INTO messages (channel, chat_id, text, intent, answered, created_at) VALUES ('telegram', '43', '2026年9月1日开学吗', 'kb', 0, ?)", [T]);
    await db.run("INSERT INTO gap_groups (key, status, samples, marked_by, marked_at) VALUES ('k1', 'ignored', ?, 'cli', ?)", [JSON.stringify(['电话138\u200b1234\u200b5678', '学区']), T]);
    await db.run("INSERT INTO web_sessions (id, token_hash, created_at, last_seen_at, expires_at) VALUES ('s1', 'h', ?, ?, ?)", [T, T, T]);
    await db.run("INSERT INTO web_messages (session_id, role, payload, created_at) VALUES ('s1', 'parent', ?, ?)", [JSON.stringify({ text: `电话138\u200b1234\u200b5678`, ref: '13812345678901' }), T]);

    await migrate(db);

    expect((await db.get<{ text: string; contact: string }>('SELECT text, contact FROM cases'))).toEqual({ text: `身份证210502********123X ${PHONE}`, contact: PHONE });
    expect((await db.all<{ note: string }>('SELECT note FROM case_events ORDER BY id')).map((r) => r.note)).toEqual(['身份证 210502********123X', '已电话联系，案件XH-2026-000009']);
    expect((await db.all<{ text: string }>('SELECT text FROM messages ORDER BY id')).map((r) => r.text)).toEqual(['电话138****5678能报名吗', '2026年9月1日开学吗']);
    expect(JSON.parse((await db.get<{ samples: string }>('SELECT samples FROM gap_groups'))!.samples)).toEqual(['电话138****5678', '学区']);
    expect(JSON.parse((await db.get<{ payload: string }>('SELECT payload FROM web_messages'))!.payload)).toEqual({ text: '电话138****5678', ref: '13812345678901' });
    // case_events is append-only again after the rewrite.
    await expect(db.run("UPDATE case_events SET note = 'changed'")).rejects.toThrow(/append-only/);
  });
});
