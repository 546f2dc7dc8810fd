import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCaseDesk, type CaseDeskImpl } from '../../../src/core/cases/index.js';
import { createWorkCalendar } from '../../../src/core/calendar/index.js';
import { draftAnnualReport, loadAnnualTemplates } from '../../../src/core/reports/annual/index.js';
import { collectMonthly } from '../../../src/core/reports/monthly/collect.js';
import { createAnnualSource } from '../../../src/storage/annual-report-repo.js';
import type { Db } from '../../../src/storage/db.js';
import { openStore } from '../../../src/storage/open-store.js';

/**
 * 《信访条例》第三十三条: "信访事项应当自受理之日起60日内办结" — counted from the 受理 (the 受理告知, due within 15 日 of
 * receipt, 第二十二条), never later than the day that notice was due (government-rules.md §3.4).
 */
let db: Db;
let now: Date;
let desk: CaseDeskImpl;
const calendar = createWorkCalendar();

beforeEach(async () => {
  db = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-accepted-')), 'c.db'));
  now = new Date('2026-08-03T02:00:00Z'); // Monday
  desk = createCaseDesk({ db, now: () => now });
});
afterEach(() => db.close());

const at = (iso: string) => {
  now = new Date(iso);
};
const letter = () =>
  desk.file({ type: 'petition', channel: 'letter', text: '来信反映学校违规收费问题，要求处理', contact: '13912345678', citizenName: '李四', actor: 'cli', receivedAt: now });

describe('信访 60 日 from 受理', () => {
  it('a letter accepted on day 11 and answered 60 日 later is on time in both reports', async () => {
    const p = await letter();
    // Not accepted yet: counted from the last day the 受理告知 may be given (08-18), 10-17 is a Saturday → 10-19.
    expect(p.deadlineOn).toBe('2026-10-19');
    at('2026-08-14T02:00:00Z');
    await desk.act(p.code, { kind: 'claim', via: '书面' }, 'console'); // the 受理告知, in writing
    expect((await desk.get(p.code))!.deadlineOn).toBe('2026-10-13');
    at('2026-10-12T02:00:00Z');
    await desk.act(p.code, { kind: 'reply', text: '经调查，予以支持，学校已退费。', via: '书面' }, 'console');
    await desk.act(p.code, { kind: 'close', note: '', via: '书面' }, 'console');

    const { report } = await draftAnnualReport({
      year: 2026, bureau: '本溪市溪湖区教育局', timezone: 'Asia/Shanghai', now: new Date('2027-01-10T02:00:00Z'), serviceGuides: 0,
      source: createAnnualSource(db), templates: loadAnnualTemplates(join(process.cwd(), 'reports/annual')),
    });
    expect(report.overview[4]!.paragraphs.join('')).toContain('全年共受理群众诉求1件，其中来信1件。无超期办理件。');
    expect(report.other.join('')).toContain('共1件，均在规定时限内办理，无超期件。');
    const monthly = await collectMonthly(db, { month: '2026-08', timezone: 'Asia/Shanghai', today: '2027-01-10', isWorkingDay: (d) => calendar.isWorkingDay(d), serviceGuides: 0 });
    expect(monthly.periods.month.cases.outcome).toMatchObject({ onTime: 1, late: 0 });
  });

  it('a 受理告知 recorded after its due day does not stretch the limit', async () => {
    const p = await letter();
    at('2026-08-05T02:00:00Z');
    await desk.act(p.code, { kind: 'claim' }, 'console'); // claimed without saying how the petitioner was told
    expect((await desk.get(p.code))!.deadlineOn).toBe('2026-10-19');
    at('2026-09-10T02:00:00Z');
    const noticed = await desk.recordAcceptanceNotice(p.code, '电话', 'console');
    expect(noticed.deadlineOn).toBe('2026-10-19');
  });

  it('a 受理告知 recorded in time moves the deadline to 60 日 from that day', async () => {
    const p = await letter();
    at('2026-08-12T02:00:00Z');
    await desk.act(p.code, { kind: 'claim' }, 'console');
    const noticed = await desk.recordAcceptanceNotice(p.code, '电话', 'console');
    expect(noticed.deadlineOn).toBe('2026-10-12'); // 08-12 + 60 日 = 10-11, a Sunday → 10-12 (from receipt it would be 10-08)
  });
});
