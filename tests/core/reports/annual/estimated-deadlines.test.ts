import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chineseDaysSource, createWorkCalendar, type CalendarOverrides } from '../../../../src/core/calendar/index.js';
import { createCaseDesk } from '../../../../src/core/cases/index.js';
import { draftAnnualReport, renderAnnualReport } from '../../../../src/core/reports/annual/index.js';
import { loadAnnualTemplates } from '../../../../src/core/reports/annual/templates.js';
import { createAnnualSource } from '../../../../src/storage/annual-report-repo.js';
import { tempStore } from './seed.js';

/**
 * A request answered before its year's holiday notice was imported: the annual draft warns that its
 * timeliness rests on an estimated calendar; once the notice is known the closed case's deadline is
 * recomputed and the report judges it on the official date, without the warning.
 */
const pkg = chineseDaysSource();
const upTo2026 = { years: new Set([...pkg.years].filter((y) => y <= 2026)), special: pkg.special };
// A made-up 2027 notice in the usual pattern (the real one is not out): 春节 2月5日至13日, 1月31日 and 2月20日 上班.
const day = (date: string) => ({ date, name: '春节' });
const NOTICE_2027: CalendarOverrides = {
  years: {
    '2027': {
      source: 'test',
      holidays: ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12', '2027-02-13'].map(day),
      workdays: ['2027-01-31', '2027-02-20'].map(day),
    },
  },
};

describe('annual report: timeliness judged on estimated deadlines', () => {
  it('warns while a deadline is estimated, and judges on the official date once the notice is known', async () => {
    const { db } = await tempStore();
    try {
      let clock = new Date('2027-01-11T02:00:00Z');
      const desk = createCaseDesk({ db, now: () => clock, calendar: createWorkCalendar({ source: upTo2026 }) });
      const filed = await desk.file({
        type: 'disclosure', channel: 'letter', text: '申请公开招生计划', citizenName: '张三', contact: '13900000000', applicantType: '自然人',
        applicantIdType: '居民身份证', applicantIdNumber: '11010519491231002X', deliveryForm: '电子', deliveryMethod: '电子邮件', deliveryAddress: 'a@b.cn',
        receivedAt: clock, actor: 'staff',
      } as never);
      expect(filed).toMatchObject({ deadlineEstimated: true });
      clock = new Date(`${filed.deadlineOn}T02:00:00Z`);
      clock.setUTCDate(clock.getUTCDate() + 1); // answered the day after the estimated deadline
      await desk.act(filed.code, { kind: 'claim' }, 'staff');
      await desk.act(filed.code, { kind: 'close', note: '予以公开', disclosureResult: 'disclosed', applicantType: '自然人', via: '书面' } as never, 'staff');

      const draft = async () => {
        const { report, warnings } = await draftAnnualReport({
          year: 2027, bureau: '本溪市溪湖区教育局', timezone: 'Asia/Shanghai', now: new Date('2028-01-20T02:00:00Z'), serviceGuides: 5,
          source: createAnnualSource(db), templates: loadAnnualTemplates(join(process.cwd(), 'reports/annual')),
        });
        const line = (await renderAnnualReport(report, 'md')).toString().split('\n').find((l) => l.includes('本年度新收政府信息公开申请'))!;
        return { line, warnings };
      };
      const estimated = await draft();
      expect(estimated.line).toContain('其中1件超过法定期限答复');
      expect(estimated.warnings).toContain(
        '1 件政府信息公开申请的答复期限是按估算日历算的（当年放假安排未导入），“是否在法定期限内答复”据此判断，可能不准：请用 npm run cli -- calendar import 导入国务院办公厅放假通知后重新生成本报告（导入后重启会重算期限）。',
      );

      clock = new Date('2027-03-01T02:00:00Z');
      const official = createWorkCalendar({ source: upTo2026, overrides: NOTICE_2027 });
      const restarted = createCaseDesk({ db, now: () => clock, calendar: official });
      const moved = await restarted.reestimateDeadlines();
      const deadline = official.addWorkingDays('2027-01-11', 20);
      expect(moved).toEqual([{ code: filed.code, from: filed.deadlineOn, to: deadline, estimated: false }]);
      expect(deadline > filed.deadlineOn!).toBe(true);
      const judged = await draft();
      expect(judged.line).toContain('均在法定期限内答复');
      expect(judged.warnings.join('\n')).not.toContain('估算日历');
    } finally {
      await db.close();
    }
  });
});
