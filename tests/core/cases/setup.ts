import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCaseDesk, type CaseDeskDeps } from '../../../src/core/cases/index.js';
import type { FileCaseInput } from '../../../src/core/cases/types.js';
import type { Db } from '../../../src/storage/db.js';
import { openStore } from '../../../src/storage/open-store.js';
import { errorText } from '../../../src/core/i18n/errors-text.js';

/** A real SQLite file in a temp dir, migrated, with a case desk on a movable clock. */
export async function deskFixture(options: { now?: string; config?: CaseDeskDeps['config'] } = {}) {
  const db = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-cases-')), 'test.db'));
  const clock = { now: new Date(options.now ?? '2026-02-10T02:00:00Z') };
  const desk = createCaseDesk({ db, now: () => clock.now, config: options.config });
  return { db, desk, clock, close: () => db.close() };
}

/**
 * A 政府信息公开申请 filed on Tue 2026-02-10 10:00 Beijing, on a real SQLite file (its `path` for the
 * CLI), with `at(iso)` moving the desk's clock. `close` may be called twice (before a CLI run and after).
 */
export async function disclosureFixture() {
  const path = join(mkdtempSync(join(tmpdir(), 'civicdesk-disclosure-')), 'test.db');
  const db = await openStore(path);
  const clock = { now: new Date('2026-02-10T02:00:00Z') };
  const desk = createCaseDesk({ db, now: () => clock.now });
  const at = (iso: string) => (clock.now = new Date(iso));
  const filed = await desk.file(complaint({ type: 'disclosure', text: '申请公开2025年学区划分依据' }));
  let open = true;
  const close = async () => {
    if (open) await db.close();
    open = false;
  };
  return { path, db, desk, at, filed, close };
}

export const complaint = (over: Partial<FileCaseInput> = {}): FileCaseInput => ({
  type: 'complaint',
  channel: 'telegram',
  chatId: '10001',
  citizenRef: '10001',
  text: '我要投诉彩屯小学乱收费，每个学生收取资料费200元。',
  contact: '13912345678',
  actor: 'citizen',
  ...over,
});

export async function outbox(db: Db, caseId?: number) {
  const rows = await db.all<{ target: string; address: string; payload: string; case_id: number | null }>(
    `SELECT target, address, payload, case_id FROM outbox ${caseId === undefined ? '' : 'WHERE case_id = ?'} ORDER BY id`,
    caseId === undefined ? [] : [caseId],
  );
  return rows.map((r) => ({ target: r.target, address: r.address, payload: JSON.parse(r.payload) as unknown }));
}

export async function count(db: Db, table: string): Promise<number> {
  return (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n;
}

/** What staff read (console and Slack show errorText in their locale) when the desk refuses `work`. */
export const refusal = (work: Promise<unknown>, locale: 'zh' | 'en' = 'zh'): Promise<string> =>
  work.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => errorText(locale, error),
  );
