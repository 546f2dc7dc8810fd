import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCaseDesk, type CaseDeskImpl } from '../../../src/core/cases/index.js';
import { createWorkCalendar } from '../../../src/core/calendar/index.js';
import { draftAnnualReport, loadAnnualTemplates } from '../../../src/core/reports/annual/index.js';
import { collectMonthly } from '../../../src/core/reports/monthly/collect.js';
import { renderMonthly } from '../../../src/core/reports/monthly/render.js';
import { createAnnualSource } from '../../../src/storage/annual-report-repo.js';
import type { Db } from '../../../src/storage/db.js';
import { openStore } from '../../../src/storage/open-store.js';

/**
 * The monthly and the annual report judge the same case the same way (one definition, storage/case-outcome.ts),
 * and the annual report says how many petitions were 办结 and how many carried into the next year.
 */
const templates = loadAnnualTemplates(join(process.cwd(), 'reports/annual'));
const calendar = createWorkCalendar();
let db: Db;
let now: Date;
let desk: CaseDeskImpl;

beforeEach(async () => {
  db = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-timeliness-')), 'c.db'));
  now = new Date('2026-06-01T02:00:00Z');
  desk = createCaseDesk({ db, now: () => now });
});
afterEach(() => db.close());

const at = (iso: string) => {
  now = new Date(iso);
};

async function monthlyText(month: string, today: string): Promise<string> {
  const report = await collectMonthly(db, { month, timezone: 'Asia/Shanghai', today, isWorkingDay: (d) => calendar.isWorkingDay(d), serviceGuides: 0 });
  return renderMonthly(report, 'zh').map((p) => p.text).join('\n');
}

async function annual(year: number, drawnAt: string): Promise<{ oversight: string; other: string }> {
  const { report } = await draftAnnualReport({
    year, bureau: '本溪市溪湖区教育局', timezone: 'Asia/Shanghai', now: new Date(drawnAt), serviceGuides: 0, source: createAnnualSource(db), templates,
  });
  return { oversight: report.overview[4]!.paragraphs.join('\n'), other: report.other.join('\n') };
}

async function phoneComplaint(): Promise<string> {
  const c = await desk.file({ type: 'complaint', channel: 'phone', text: '来电反映学校乱收费资料费', contact: '13912345678', actor: 'cli', receivedAt: now });
  await desk.act(c.code, { kind: 'claim' }, 'console');
  return c.code;
}

describe('one definition of on time / late / open for both reports', () => {
  it('a complaint answered by phone in time but closed after its deadline is on time in both reports (the reply meets the limit)', async () => {
    const code = await phoneComplaint(); // received Mon 2026-06-01, 10 working days → 2026-06-15
    expect((await desk.get(code))!.deadlineOn).toBe('2026-06-15');
    at('2026-06-05T02:00:00Z');
    await desk.act(code, { kind: 'reply', text: '已责成学校核查', via: '电话' }, 'console');
    at('2026-06-25T02:00:00Z');
    await desk.act(code, { kind: 'close', note: '', via: '电话' }, 'console');

    expect(await monthlyText('2026-06', '2026-07-02')).toContain('按期答复并办结：1 / 0 / 0 / 1');
    const { oversight, other } = await annual(2026, '2026-07-02T02:00:00Z');
    expect(oversight).toContain('无超期办理件。');
    expect(other).toContain('共1件，均在规定时限内办理，无超期件。');
  });

  it('a complaint left in 联系不上 past its deadline is open and overdue in both reports', async () => {
    const code = await phoneComplaint();
    at('2026-06-05T02:00:00Z');
    await desk.act(code, { kind: 'unreachable', note: '三次来电未接' }, 'console');

    const monthly = await monthlyText('2026-06', '2026-07-02');
    expect(monthly).toContain('逾期未答复：1 / 0 / 0 / 1');
    expect(monthly).toContain('退单或撤回（未办结）：0 / 0 / 0 / 0');
    expect(monthly).toContain('联系不上诉求人（按受理时间）：1 / 0 / 0 / 1');
    const { oversight, other } = await annual(2026, '2026-07-02T02:00:00Z');
    expect(oversight).toContain('联系不上诉求人1件。超期办理1件（均尚未办结）。超期原因及整改措施：【待本局填写】。');
    expect(other).toContain('共1件，尚无办结件，尚在办理1件（其中已超期1件）。');
  });

  it('the annual report says how many were closed, withdrawn and carried over, not "均在规定时限内" for them', async () => {
    at('2026-12-01T02:00:00Z');
    const minxin = await desk.file({ type: 'complaint', channel: 'minxin', text: '民心网反映食堂卫生问题', actor: 'cli', receivedAt: now });
    await desk.act(minxin.code, { kind: 'claim' }, 'console');
    await desk.act(minxin.code, { kind: 'reply', text: '已核查整改', via: '民心网' }, 'console');
    await desk.act(minxin.code, { kind: 'close', note: '', via: '民心网' }, 'console');
    const withdrawn = await phoneComplaint();
    await desk.act(withdrawn, { kind: 'withdraw', note: '已自行解决', via: '电话' }, 'console');
    at('2026-12-28T02:00:00Z');
    const petition = await desk.file({ type: 'petition', channel: 'phone', text: '来电信访反映校车安排', contact: '13912345678', actor: 'cli', receivedAt: now });
    await desk.act(petition.code, { kind: 'claim', via: '电话' }, 'console');

    const { oversight, other } = await annual(2026, '2027-01-20T02:00:00Z');
    expect(other).toContain('全年受理民心网1件、电话2件，共3件，办结1件，均在规定时限内办结，撤回或退单1件，结转下年度继续办理1件。');
    expect(other).not.toContain('均在规定时限内办理');
    expect(oversight).toContain('无超期办理件。');
    // The monthly report for December, drawn the same day, counts the same three cases the same way.
    const monthly = await monthlyText('2026-12', '2027-01-20');
    expect(monthly).toContain('按期答复并办结：1 / 0 / 0 / 1');
    expect(monthly).toContain('在办（未答复，未逾期）：1 / 0 / 0 / 1');
    expect(monthly).toContain('退单或撤回（未办结）：1 / 0 / 0 / 1');
  });

  it('a complaint answered after its deadline is late: the sentence gives the counts and leaves reasons and measures to the bureau', async () => {
    const late = await phoneComplaint();
    const open = await phoneComplaint();
    at('2026-06-20T02:00:00Z');
    await desk.act(late, { kind: 'reply', text: '已责成学校核查', via: '电话' }, 'console');
    await desk.act(late, { kind: 'close', note: '', via: '电话' }, 'console');
    expect((await desk.get(open))!.state).toBe('claimed');

    expect(await monthlyText('2026-06', '2026-07-02')).toContain('逾期答复：1 / 0 / 0 / 1');
    const { oversight, other } = await annual(2026, '2026-07-02T02:00:00Z');
    expect(oversight).toContain('超期办理2件（其中已办结1件，尚未办结1件）。超期原因及整改措施：【待本局填写】。');
    expect(oversight).not.toContain('已督促整改');
    expect(other).toContain('共2件，办结1件，其中超期办结1件，尚在办理1件（其中已超期1件）。');
  });

  it('keeps "均在规定时限内办理，无超期件" when every petition was closed on time', async () => {
    const code = await phoneComplaint();
    at('2026-06-05T02:00:00Z');
    await desk.act(code, { kind: 'reply', text: '已责成学校核查', via: '电话' }, 'console');
    await desk.act(code, { kind: 'close', note: '', via: '电话' }, 'console');
    const { other } = await annual(2026, '2027-01-10T02:00:00Z');
    expect(other).toContain('全年受理电话1件，共1件，均在规定时限内办理，无超期件。');
  });
});
