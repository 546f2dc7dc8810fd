import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chineseDaysSource, createWorkCalendar, type CalendarOverrides } from '../../../src/core/calendar/index.js';
import { formatStaffNotice } from '../../../src/channels/console/staff.js';
import { historyLine } from '../../../src/channels/slack/blocks.js';
import { registerSlackCatalog } from '../../../src/core/i18n/slack.js';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import type { Db } from '../../../src/storage/db.js';
import { openStore } from '../../../src/storage/open-store.js';
import { complaint, outbox } from './setup.js';

// The package's data up to 2026: 2027 is estimated (statutory holidays only).
const pkg = chineseDaysSource();
const upTo2026 = { years: new Set([...pkg.years].filter((y) => y <= 2026)), special: pkg.special };
// Two made-up 2027 schedules for the test (the real notice is not out).
const year2027 = (holidays: string[], workdays: string[]): CalendarOverrides => ({
  years: { '2027': { source: 'test', holidays: holidays.map((date) => ({ date, name: '元旦' })), workdays: workdays.map((date) => ({ date, name: '元旦' })) } },
});
const LATER = year2027(['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04'], []);
const EARLIER = year2027(['2027-01-01'], ['2027-01-02']);

registerSlackCatalog();
let db: Db;
afterEach(async () => db?.close());

async function fileUnder2026Calendar() {
  db = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-reestimate-')), 'test.db'));
  const now = () => new Date('2026-12-21T02:00:00Z'); // Monday 10:00 Beijing
  const desk = createCaseDesk({ db, now, calendar: createWorkCalendar({ source: upTo2026 }) });
  const open = await desk.file(complaint()); // 10 working days: 2027-01-05 (元旦 estimated as a rest day)
  const closed = await desk.file(complaint({ chatId: '10002', citizenRef: '10002' }));
  await desk.act(closed.code, { kind: 'claim' }, 'console');
  await desk.act(closed.code, { kind: 'close', note: '已处理' }, 'console');
  expect(open).toMatchObject({ deadlineOn: '2027-01-05', deadlineEstimated: true });
  return { open, closed, now };
}

describe('re-estimation when a year\'s schedule becomes known', () => {
  it('moves a later date with a staff notice only, and drops the estimated mark', async () => {
    const { open, closed, now } = await fileUnder2026Calendar();
    const before = (await outbox(db, open.id)).length;
    const closedBefore = (await outbox(db, closed.id)).length;
    const desk = createCaseDesk({ db, now, calendar: createWorkCalendar({ source: upTo2026, overrides: LATER }) });
    expect(await desk.reestimateDeadlines()).toEqual([
      { code: open.code, from: '2027-01-05', to: '2027-01-06', estimated: false },
      { code: closed.code, from: '2027-01-05', to: '2027-01-06', estimated: false },
    ]);
    expect(await desk.get(open.code)).toMatchObject({ deadlineOn: '2027-01-06', deadlineEstimated: false });
    // A closed case gets the official date too (the reports judge timeliness on it), with a history line and no message.
    expect(await desk.get(closed.code)).toMatchObject({ state: 'closed', deadlineOn: '2027-01-06', deadlineEstimated: false });
    expect((await desk.history(closed.code)).at(-1)).toMatchObject({ kind: 'deadline', actor: 'system', note: '2027-01-05 → 2027-01-06（期限按正式放假安排重算）' });
    expect((await outbox(db, closed.id)).length).toBe(closedBefore);
    const added = (await outbox(db, open.id)).slice(before);
    expect(added.map((r) => r.target)).toEqual(['staff']);
    const event = (await desk.history(open.code)).at(-1)!;
    expect(event).toMatchObject({ kind: 'deadline', actor: 'system', note: '2027-01-05 → 2027-01-06' });
    expect(historyLine(event, { locale: 'zh', timeZone: 'Asia/Shanghai' })).toBe('2026-12-21 10:00 答复期限按放假安排重新计算：2027-01-05 → 2027-01-06');
    expect(await formatStaffNotice(desk, added[0]!.payload as never, 'zh')).toContain(`${open.code}：答复期限按放假安排重新计算 2027-01-05 → 2027-01-06`);
    expect(await desk.reestimateDeadlines()).toEqual([]); // nothing left to re-estimate
  });

  it('tells the parent when the promised date moves earlier', async () => {
    const { open, closed, now } = await fileUnder2026Calendar();
    const before = (await outbox(db, open.id)).length;
    const desk = createCaseDesk({ db, now, calendar: createWorkCalendar({ source: upTo2026, overrides: EARLIER }) });
    expect(await desk.reestimateDeadlines()).toEqual([
      { code: open.code, from: '2027-01-05', to: '2027-01-04', estimated: false },
      { code: closed.code, from: '2027-01-05', to: '2027-01-04', estimated: false },
    ]);
    const added = (await outbox(db, open.id)).slice(before);
    expect(added.map((r) => r.target)).toEqual(['telegram', 'staff']);
    expect((added[0]!.payload as { text: string }[])[0]!.text).toBe(`国家公布了放假安排，您的投诉 ${open.code} 的答复期限更新为 2027年1月4日。`);
  });

  it('counts a December 调休上班 day the 2027 notice fixes: the deadline moves a day earlier and the parent is told', async () => {
    db = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-reestimate-')), 'test.db'));
    const now = () => new Date('2026-12-24T02:00:00Z'); // Thursday 10:00 Beijing
    const before = createCaseDesk({ db, now, calendar: createWorkCalendar({ source: upTo2026 }) });
    const request = await before.file(complaint({ type: 'disclosure', text: '申请公开2027年学区划分方案' }));
    expect(request).toMatchObject({ deadlineOn: '2027-01-22', deadlineEstimated: true });
    // The notice (as `calendar import` writes it) keeps 2026-12-26 上班 under 2027: a Saturday that now counts.
    const notice: CalendarOverrides = { years: { '2027': { source: 'test', holidays: ['2027-01-01', '2027-01-02', '2027-01-03'].map((date) => ({ date, name: '元旦' })), workdays: [{ date: '2026-12-26', name: '元旦' }] } } };
    const after = createCaseDesk({ db, now, calendar: createWorkCalendar({ source: upTo2026, overrides: notice }) });
    expect(await after.reestimateDeadlines()).toEqual([{ code: request.code, from: '2027-01-22', to: '2027-01-21', estimated: false }]);
    const told = (await outbox(db, request.id)).filter((r) => r.target !== 'staff').at(-1)!;
    expect(told.payload).toEqual([{ text: `国家公布了放假安排，您的政府信息公开申请 ${request.code} 的答复期限更新为 2027年1月21日。`, caseCode: request.code }]);
  });

  it('changes nothing while the year is still unknown', async () => {
    const { now } = await fileUnder2026Calendar();
    const desk = createCaseDesk({ db, now, calendar: createWorkCalendar({ source: upTo2026 }) });
    expect(await desk.reestimateDeadlines()).toEqual([]);
  });
});
