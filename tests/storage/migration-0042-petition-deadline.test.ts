import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCaseDesk } from '../../src/core/cases/index.js';
import { openDb } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrate.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { withEmptySchemas } from '../helpers/postgres.js';

/**
 * Migration 0042 on a database the previous version wrote: an open 信访 case whose 受理告知 is recorded but whose
 * deadline was counted 60 日 from receipt gets the deadline 60 日 from 受理 (rules/deadline-rules.yaml petition), with a
 * `deadline` event and an audit row; a case without a recorded 受理 day, a closed one and a reopened one keep theirs.
 * SQLite and, under test:pg, PostgreSQL.
 *
 * Received Mon 2026-06-08, told 受理 on Tue 2026-06-09. From receipt: 06-08 + 60 日 = Fri 2026-08-07. From 受理:
 * 06-09 + 60 日 = Sat 2026-08-08, moved off the weekend to Mon 2026-08-10.
 */
describe('migration 0042: open 信访 deadlines counted from 受理', () => {
  it('recomputes the open cases with a recorded 受理 day once, with an event and an audit row; leaves the rest', async () => {
    const db = await withEmptySchemas(() => openDb(join(mkdtempSync(join(tmpdir(), 'civicdesk-m42-')), 'upgrade.db')));
    try {
      await migrate(db, migrations.filter((m) => m.id < 42));
      const RECEIVED = '2026-06-08T02:00:00.000Z';
      const NOTICE = '2026-06-09T02:00:00.000Z';
      const insert = (code: string, state: string, notice: string | null, closedAt: string | null = null, type = 'petition') =>
        db.run(
          `INSERT INTO cases (code, type, channel, state, text, received_at, claimed_at, acceptance_notice_at, acceptance_notice_via, deadline_on, closed_at, assignee, created_at, updated_at)
           VALUES (?, ?, 'phone', ?, '来电信访反映校车安排', ?, ?, ?, ?, '2026-08-07', ?, 'slack:USTAFF1', ?, ?)`,
          [code, type, state, RECEIVED, NOTICE, notice, notice ? '电话' : null, closedAt, RECEIVED, RECEIVED],
        );
      await insert('XH-2026-000001', 'claimed', NOTICE); // recomputed
      await insert('XH-2026-000002', 'claimed', null); // no 受理 day recorded: kept
      await insert('XH-2026-000003', 'closed', NOTICE, '2026-07-01T02:00:00.000Z'); // closed: kept
      await insert('XH-2026-000004', 'reopened', NOTICE); // counts from its reopening: kept
      await insert('XH-2026-000005', 'claimed', NOTICE, null, 'complaint'); // not 信访: kept

      expect(await migrate(db, migrations.filter((m) => m.id <= 42))).toEqual([42]);
      const queued = await db.all<{ code: string }>('SELECT c.code FROM deadline_recomputations q JOIN cases c ON c.id = q.case_id');
      expect(queued.map((q) => q.code)).toEqual(['XH-2026-000001']);

      const desk = createCaseDesk({ db, now: () => new Date('2026-06-20T01:00:00Z') });
      expect(await desk.reestimateDeadlines()).toEqual([{ code: 'XH-2026-000001', from: '2026-08-07', to: '2026-08-10', estimated: false }]);
      expect((await desk.get('XH-2026-000001'))!.deadlineOn).toBe('2026-08-10');
      for (const code of ['XH-2026-000002', 'XH-2026-000003', 'XH-2026-000004', 'XH-2026-000005'])
        expect((await desk.get(code))!.deadlineOn).toBe('2026-08-07');
      const history = await desk.history('XH-2026-000001');
      expect(history.map((e) => [e.kind, e.note])).toEqual([['deadline', '2026-08-07 → 2026-08-10（信访期限改为自受理之日起计算）']]);
      const audit = await db.all<{ actor: string; action: string; subject: string; detail: string }>(
        "SELECT actor, action, subject, detail FROM audit_log WHERE action = 'case.deadline'",
      );
      expect(audit.map((a) => ({ ...a, detail: JSON.parse(a.detail) as unknown }))).toEqual([
        { actor: 'system', action: 'case.deadline', subject: 'XH-2026-000001', detail: { from: '2026-08-07', to: '2026-08-10', reason: 'migration-0042: 信访 60 日 from 受理' } },
      ]);
      // Staff see the change in the case thread; the parent is not told of a later date (only an earlier one).
      const outbox = await db.all<{ target: string }>("SELECT target FROM outbox WHERE case_id = (SELECT id FROM cases WHERE code = 'XH-2026-000001')");
      expect(outbox.map((o) => o.target)).toEqual(['staff']);
      // Once: the queue is empty, a second start changes nothing.
      expect(await db.all('SELECT case_id FROM deadline_recomputations')).toEqual([]);
      expect(await desk.reestimateDeadlines()).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
