import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentAppeals } from '../../src/core/cases/appeals.js';
import { currentAppealsFiledBetween, listDisclosureAppeals } from '../../src/storage/appeals-repo.js';
import { openDb } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrate.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { listCaseReviews } from '../../src/storage/reviews-repo.js';
import { withEmptySchemas } from '../helpers/postgres.js';

/**
 * Migration 0032 on a database the previous version wrote: the 行政复议 / 行政诉讼 entries it grouped by request and
 * category get the appeal they meant (so table 四 counts the same), the tables stay append-only, and a 复查 entry
 * recorded with one day for the request and its receipt reads that day as both. SQLite and, under test:pg, PostgreSQL.
 */
describe('migration 0032 on an existing database', () => {
  it('gives old appeal entries their appeal, keeps the counts and the append-only rule; old 复查 entries keep one day', async () => {
    const db = await withEmptySchemas(() => openDb(join(mkdtempSync(join(tmpdir(), 'civicdesk-m32-')), 'upgrade.db')));
    try {
      await migrate(db, migrations.filter((m) => m.id < 32));
      const T = '2026-04-20T02:00:00.000Z';
      for (const code of ['XH-2026-000001', 'XH-2026-000002'])
        await db.run(
          `INSERT INTO cases (code, type, channel, state, text, received_at, created_at, updated_at)
           VALUES (?, 'disclosure', 'phone', 'closed', '申请公开', ?, ?, ?)`,
          [code, T, T, T],
        );
      const [a, b] = await db.all<{ id: number }>('SELECT id FROM cases ORDER BY code');
      const entry = async (caseId: number, category: string, outcome: string, decidedOn: string | null) => {
        const ev = await db.run("INSERT INTO case_events (case_id, at, actor, kind) VALUES (?, ?, 'cli', 'appeal')", [caseId, T]);
        await db.run(
          `INSERT INTO disclosure_appeals (case_id, event_id, category, filed_on, outcome, decided_on, case_ref, actor, created_at)
           VALUES (?, ?, ?, '2026-04-15', ?, ?, NULL, 'cli', ?)`,
          [caseId, ev.lastID, category, outcome, decidedOn, T],
        );
      };
      // Request a: a 复议, then its decision (the old way: a second entry of the same category), and a suit.
      await entry(a!.id, '行政复议', '尚未审结', null);
      await entry(b!.id, '行政复议', '尚未审结', null);
      await entry(a!.id, '行政复议', '纠正', '2026-06-18');
      await entry(a!.id, '复议后起诉', '尚未审结', null);
      const ev = await db.run("INSERT INTO case_events (case_id, at, actor, kind) VALUES (?, ?, 'cli', 'review')", [a!.id, T]);
      await db.run(
        `INSERT INTO case_reviews (case_id, event_id, level, body, requested_on, decided_on, received_on, outcome, window_from, window_end,
           in_time, decision_due, decides_id, actor, created_at)
         VALUES (?, ?, 'review', '本溪市教育局', '2026-07-23', NULL, '2026-07-27', '待决定', '2026-07-01', '2026-07-31', 1, '2026-08-24', NULL, 'cli', ?)`,
        [a!.id, ev.lastID, T],
      );

      await migrate(db);
      const entries = await listDisclosureAppeals(db, a!.id);
      expect(entries.map((e) => e.appealId)).toEqual([null, entries[0]!.id, null]);
      expect(currentAppeals(entries).map((c) => c.entry.outcome)).toEqual(['纠正', '尚未审结']);
      expect((await currentAppealsFiledBetween(db, '2026-01-01', '2026-12-31')).map((e) => `${e.code} ${e.category} ${e.outcome}`)).toEqual([
        'XH-2026-000002 行政复议 尚未审结', 'XH-2026-000001 行政复议 纠正', 'XH-2026-000001 复议后起诉 尚未审结',
      ]);
      await expect(db.run("UPDATE disclosure_appeals SET outcome = '维持'")).rejects.toThrow(/append-only/);
      const [review] = await listCaseReviews(db, a!.id);
      expect(review).toMatchObject({ requestedOn: '2026-07-23', requestReceivedOn: '2026-07-23', decisionDue: '2026-08-24' });
    } finally {
      await db.close();
    }
  });
});
