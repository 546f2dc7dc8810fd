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
import { remaskPhones } from '../../src/storage/migrations/0043-remask-phones-in-case-text.js';
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

    await migrate(db, migrations.filter((m) => m.id <= 41));

    expect((await db.get<{ text: string; contact: string }>('SELECT text, contact FROM cases'))).toEqual({ text: `身份证210502********123X ${PHONE}`, contact: PHONE });
    expect((await db.all<{ note: string }>('SELECT note FROM case_events ORDER BY id')).map((r) => r.note)).toEqual(['身份证 210502********123X', '已电话联系，案件XH-2026-000009']);
    expect((await db.all<{ text: string }>('SELECT text FROM messages ORDER BY id')).map((r) => r.text)).toEqual(['电话138****5678能报名吗', '2026年9月1日开学吗']);
    expect(JSON.parse((await db.get<{ samples: string }>('SELECT samples FROM gap_groups'))!.samples)).toEqual(['电话138****5678', '学区']);
    expect(JSON.parse((await db.get<{ payload: string }>('SELECT payload FROM web_messages'))!.payload)).toEqual({ text: '电话138****5678', ref: '13812345678901' });
    // case_events is append-only again after the rewrite.
    await expect(db.run("UPDATE case_events SET note = 'changed'")).rejects.toThrow(/append-only/);
  });
});

describe('migration 0043 on rows written when case text kept phones whole', () => {
  const insertCaseRow = async (code: string, text: string, contact: string | null, extra: { closeNote?: string; anonymised?: boolean } = {}) =>
    (
      await db.run(
        `INSERT INTO cases (code, type, channel, state, text, contact, close_note, anonymised_at, received_at, created_at, updated_at)
         VALUES (?, 'complaint', 'telegram', 'received', ?, ?, ?, ?, ?, ?, ?)`,
        [code, text, contact, extra.closeNote ?? null, extra.anonymised ? T : null, T, T, T],
      )
    ).lastID;
  const event = (caseId: number, actor: string, kind: string, note: string) =>
    db.run('INSERT INTO case_events (case_id, at, actor, kind, note) VALUES (?, ?, ?, ?, ?)', [caseId, T, actor, kind, note]);

  it('masks phones in case text, close notes, events, conversation state, sent outbox rows and the audit trail; a case without a contact takes the parent\'s number', async () => {
    await migrate(db, migrations.filter((m) => m.id < 43));
    // Written by the old code: phones whole in case text and events (ID numbers already masked by 0041's rules).
    const noContact = await insertCaseRow('XH-2026-000011', '彩屯小学乱收费，我的电话138\u200B1234\u200B5678', null, { closeNote: '已答复，学校电话024-42841234' });
    const withContact = await insertCaseRow('XH-2026-000012', '食堂问题，另一个号码+86 139 8765 4321', PHONE);
    const byFollowUp = await insertCaseRow('XH-2026-000013', '孩子转学的事', null);
    await event(byFollowUp, 'citizen', 'followup', '白天打不通请打我爱人电话一三九一一一二二二三三');
    await event(byFollowUp, 'slack:U1', 'reply', '请拨打学校电话0414-2842001咨询');
    const schoolOnly = await insertCaseRow('XH-2026-000014', '学校电话024-42841234一直打不通', null);
    const anonymised = await insertCaseRow('XH-2026-000015', '[已删除]', null, { anonymised: true });
    await event(anonymised, 'citizen', 'followup', '电话13811112222');
    const filingState = {
      v: 1,
      recent: ['家长: 我要投诉，电话 0086 138 1234 5678', '助手: 请确认'],
      asked: [{ id: 1, text: '我的电话13812345678能报名吗' }],
      alternatives: [],
      filing: { step: 'contact', key: 'telegram:42:1:abc', type: 'complaint', content: '彩屯小学乱收费，电话13812345678', foundPhone: PHONE },
    };
    await db.run("INSERT INTO conversations (channel, chat_id, state_json, updated_at) VALUES ('telegram', '42', ?, ?)", [JSON.stringify(filingState), T]);
    await db.run("INSERT INTO conversations (channel, chat_id, state_json, updated_at) VALUES ('telegram', '43', ?, ?)", [JSON.stringify({ v: 0, text: '电话13812345678' }), T]);
    const reply = JSON.stringify([{ text: '答复：请拨打学校电话024-42841234', caseCode: 'XH-2026-000011' }]);
    await db.run("INSERT INTO outbox (target, address, payload, state, next_attempt_at, created_at) VALUES ('telegram', '42', ?, 'sent', ?, ?)", [reply, T, T]);
    await db.run("INSERT INTO outbox (target, address, payload, state, next_attempt_at, created_at) VALUES ('telegram', '42', ?, 'pending', ?, ?)", [reply, T, T]);
    await db.run("INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, 'cli', 'case.add', 'XH-2026-000011', ?)", [T, '{"contact":"13812345678"}']);

    await migrate(db);

    const cases = await db.all<{ id: number; text: string; contact: string | null; close_note: string | null }>('SELECT id, text, contact, close_note FROM cases ORDER BY id');
    expect(cases).toEqual([
      { id: noContact, text: '彩屯小学乱收费，我的电话138****5678', contact: PHONE, close_note: '已答复，学校电话024-****34' },
      { id: withContact, text: '食堂问题，另一个号码+86 139****4321', contact: PHONE, close_note: null },
      { id: byFollowUp, text: '孩子转学的事', contact: '13911122233', close_note: null },
      // A number said to be the school's is no contact; an anonymised case takes none.
      { id: schoolOnly, text: '学校电话024-****34一直打不通', contact: null, close_note: null },
      { id: anonymised, text: '[已删除]', contact: null, close_note: null },
    ]);
    expect((await db.all<{ note: string }>('SELECT note FROM case_events ORDER BY id')).map((r) => r.note)).toEqual([
      '白天打不通请打我爱人电话139****2233',
      '请拨打学校电话0414-****01咨询',
      '电话138****2222',
    ]);
    const state = JSON.parse((await db.get<{ s: string }>("SELECT state_json AS s FROM conversations WHERE chat_id = '42'"))!.s);
    expect(state.recent).toEqual(['家长: 我要投诉，电话 0086 138****5678', '助手: 请确认']);
    expect(state.recentPhone).toBe(PHONE);
    expect(state.asked).toEqual([{ id: 1, text: '我的电话138****5678能报名吗' }]);
    expect(state.filing).toMatchObject({ content: '彩屯小学乱收费，电话138****5678', textPhone: PHONE, foundPhone: PHONE, step: 'contact' });
    expect(JSON.parse((await db.get<{ s: string }>("SELECT state_json AS s FROM conversations WHERE chat_id = '43'"))!.s)).toEqual({ v: 0, text: '电话138****5678' });
    expect((await db.all<{ state: string; payload: string }>('SELECT state, payload FROM outbox ORDER BY id')).map((r) => [r.state, JSON.parse(r.payload)[0].text])).toEqual([
      ['sent', '答复：请拨打学校电话024-****34'],
      ['pending', '答复：请拨打学校电话024-42841234'],
    ]);
    const audit = await db.all<{ action: string; subject: string; detail: string }>('SELECT action, subject, detail FROM audit_log ORDER BY id');
    expect(audit[0]).toEqual({ action: 'case.add', subject: 'XH-2026-000011', detail: '{"contact":"138****5678"}' });
    // The rewrite is itself in the trail, with what it changed.
    expect(audit.at(-1)).toMatchObject({ action: 'db.remask_phones', subject: '0043' });
    expect(JSON.parse(audit.at(-1)!.detail)).toEqual({ cases: 4, contactsSet: 2, caseEvents: 3, conversations: 2, outbox: 1, auditLog: 1 });
    // Both append-only tables are append-only again.
    await expect(db.run("UPDATE case_events SET note = 'changed'")).rejects.toThrow(/append-only/);
    await expect(db.run("UPDATE audit_log SET detail = 'changed'")).rejects.toThrow(/append-only/);
    // Run again, it finds nothing left to change.
    expect(await db.transaction((tx) => remaskPhones(tx))).toEqual({});
  });
});
