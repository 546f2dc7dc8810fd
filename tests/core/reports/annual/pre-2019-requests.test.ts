import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCaseDesk } from '../../../../src/core/cases/index.js';
import { draftAnnualReport, renderAnnualReport } from '../../../../src/core/reports/annual/index.js';
import { loadAnnualTemplates } from '../../../../src/core/reports/annual/templates.js';
import { createAnnualSource } from '../../../../src/storage/annual-report-repo.js';
import { tempStore } from './seed.js';

/**
 * A 政府信息公开申请 received before 2019-05-15 falls under the 2007 条例 (第二十四条: 15 working days, one
 * extension of at most 15; government-rules.md §1.5), one received from that day under the 2019 条例 (20 + 20).
 * The shipped rules file and calendar are used, as on a bureau's server.
 */
const request = (receivedAt: Date) =>
  ({
    type: 'disclosure', channel: 'letter', text: '申请公开2018年招生计划', citizenName: '张三', contact: '13900000000', applicantType: '自然人',
    applicantIdType: '居民身份证', applicantIdNumber: '11010519491231002X', deliveryForm: '电子', deliveryMethod: '电子邮件', deliveryAddress: 'a@b.cn',
    receivedAt, actor: 'staff',
  }) as never;

describe('disclosure requests received before 2019-05-15: the 2007 条例 limits', () => {
  it('deadline, extension and the annual report judge a 2018 request on 15 working days; a request from 2019-05-15 gets 20', async () => {
    const { db } = await tempStore();
    try {
      let clock = new Date('2018-03-01T02:00:00Z'); // 10:00 in Asia/Shanghai
      const desk = createCaseDesk({ db, now: () => clock });
      const late = await desk.file(request(clock));
      expect(late.deadlineOn).toBe('2018-03-22'); // 15th working day; the 2019 rule would say 2018-03-29
      const extended = await desk.file(request(clock));
      await desk.act(extended.code, { kind: 'claim' }, 'staff');
      const { case: afterExtension } = await desk.act(extended.code, { kind: 'extend', reason: '需调取档案', approvedBy: '王科长', via: '书面' } as never, 'staff');
      expect(afterExtension.deadlineOn).toBe('2018-04-13'); // 15 + 15 working days (清明 4月5日–7日 skipped, 4月8日 上班 counted)

      clock = new Date('2018-03-26T02:00:00Z'); // the 17th working day: late under the 2007 条例
      await desk.act(late.code, { kind: 'claim' }, 'staff');
      await desk.act(late.code, { kind: 'close', note: '予以公开', disclosureResult: 'disclosed', applicantType: '自然人', via: '书面' } as never, 'staff');
      await desk.act(extended.code, { kind: 'close', note: '予以公开', disclosureResult: 'disclosed', applicantType: '自然人', via: '书面' } as never, 'staff');

      const draft = (year: number) =>
        draftAnnualReport({
          year, bureau: '本溪市溪湖区教育局', timezone: 'Asia/Shanghai', now: new Date(`${year + 1}-01-20T02:00:00Z`), serviceGuides: 5,
          source: createAnnualSource(db), templates: loadAnnualTemplates(join(process.cwd(), 'reports/annual')),
        });
      const drafted2018 = await draft(2018);
      const line = (await renderAnnualReport(drafted2018.report, 'md')).toString().split('\n').find((l) => l.includes('本年度新收政府信息公开申请'))!;
      expect(line).toContain('其中1件超过法定期限答复');
      expect(line).not.toContain('均在法定期限内答复');
      expect(drafted2018.warnings.join('\n')).not.toContain('[U]');

      clock = new Date('2019-05-14T02:00:00Z');
      const lastOld = await desk.file(request(clock));
      expect(lastOld.deadlineOn).toBe('2019-06-04'); // last day of the 2007 条例: 15 working days
      clock = new Date('2019-05-15T02:00:00Z');
      expect((await desk.file(request(clock))).deadlineOn).toBe('2019-06-13'); // 2019 条例: 20 working days (端午 6月7日)
      // Received under the 2007 条例, answered under the 2019 one: judged on 15 days, flagged as unconfirmed (§1.5 [U]).
      clock = new Date('2019-05-20T02:00:00Z');
      await desk.act(lastOld.code, { kind: 'claim' }, 'staff');
      await desk.act(lastOld.code, { kind: 'close', note: '予以公开', disclosureResult: 'disclosed', applicantType: '自然人', via: '书面' } as never, 'staff');
      expect((await draft(2019)).warnings).toContain(
        '[U] 1 件政府信息公开申请在 2019-05-15 前收到、在此后才答复（或仍未答复）：本报告按收到之日施行的规定（2007年《政府信息公开条例》第二十四条，15个工作日）判断是否在法定期限内答复；新旧条例对这类申请如何衔接未经确认，请核实后再定稿。',
      );
    } finally {
      await db.close();
    }
  });
});
