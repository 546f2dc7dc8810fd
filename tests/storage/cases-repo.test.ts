import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAudit, recordAudit } from '../../src/storage/audit-repo.js';
import { findCaseByCode, insertCase, insertCaseEvent, listCaseEvents, nextCaseNumber } from '../../src/storage/cases-repo.js';
import { openStore } from '../../src/storage/open-store.js';
import { onPostgres } from '../helpers/postgres.js';

const tempPath = () => join(mkdtempSync(join(tmpdir(), 'civicdesk-repo-')), 'data', 'civicdesk.db');
const at = '2026-02-10T02:00:00.000Z';

describe('openStore', () => {
  it('creates the folder and migrates', async () => {
    const path = tempPath();
    const db = await openStore(path);
    expect(existsSync(path)).toBe(!onPostgres); // the PostgreSQL run keeps it in a schema
    expect(await db.get('SELECT COUNT(*) AS n FROM cases')).toEqual({ n: 0 });
    await db.close();
  });

  it('refuses a database with a foreign migration history', async () => {
    const path = tempPath();
    const db = await openStore(path);
    await db.run("UPDATE schema_migrations SET name = 'other' WHERE id = 1");
    await db.close();
    await expect(openStore(path)).rejects.toMatchObject({ code: 'migration_mismatch' });
  });
});

describe('cases-repo', () => {
  it('counts per year inside the transaction and rolls back with it', async () => {
    const db = await openStore(tempPath());
    expect(await db.transaction((tx) => nextCaseNumber(tx, 2026))).toBe(1);
    await expect(
      db.transaction(async (tx) => {
        await nextCaseNumber(tx, 2026);
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    expect(await db.transaction((tx) => nextCaseNumber(tx, 2026))).toBe(2);
    expect(await db.transaction((tx) => nextCaseNumber(tx, 2027))).toBe(1);
    await db.close();
  });

  it('maps rows to CaseRecord and enforces unique codes and case_events foreign keys', async () => {
    const db = await openStore(tempPath());
    const fields = {
      code: 'XH-2026-000001', type: 'help' as const, channel: 'visit' as const, state: 'received' as const, text: '来访求助：孩子入学材料不全',
      receivedAt: at, createdAt: at, updatedAt: at, handoff: true, deadlineOn: '2026-03-02',
    };
    const id = await insertCase(db, fields);
    expect(await findCaseByCode(db, 'XH-2026-000001')).toMatchObject({ id, handoff: true, contact: null, deadlineEstimated: false, locale: 'zh' });
    await expect(insertCase(db, fields)).rejects.toThrow(/UNIQUE constraint failed: cases.code/);
    await expect(
      insertCaseEvent(db, { caseId: 999, at, actor: 'system', kind: 'note', fromState: null, toState: null, note: 'x' }),
    ).rejects.toThrow(/FOREIGN KEY constraint failed/);
    await insertCaseEvent(db, { caseId: id, at, actor: 'console', kind: 'note', fromState: null, toState: null, note: '已登记' });
    expect((await listCaseEvents(db, id)).map((e) => e.note)).toEqual(['已登记']);
    await db.close();
  });
});

describe('audit-repo', () => {
  it('records actor, action, subject and JSON detail', async () => {
    const db = await openStore(tempPath());
    await recordAudit(db, { actor: 'slack:U01', action: 'case.claim', subject: 'XH-2026-000001', detail: { from: 'received' }, at: new Date(at) });
    await recordAudit(db, { actor: 'cli', action: 'db.backup', subject: 'backup.db', at: new Date(at) });
    expect(await listAudit(db, { subject: 'XH-2026-000001' })).toEqual([
      { id: 1, at, actor: 'slack:U01', action: 'case.claim', subject: 'XH-2026-000001', detail: '{"from":"received"}' },
    ]);
    expect((await listAudit(db)).map((r) => r.action)).toEqual(['case.claim', 'db.backup']);
    await db.close();
  });
});
