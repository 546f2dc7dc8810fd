import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftAnnualReport, loadAnnualTemplates, renderAnnualReport } from '../../../../src/core/reports/annual/index.js';
import { APPLICANT_TYPES } from '../../../../src/core/reports/annual/model.js';
import { createAnnualSource } from '../../../../src/storage/annual-report-repo.js';
import type { Db } from '../../../../src/storage/db.js';
import { insertRegisterItems } from '../../../../src/storage/registers-repo.js';
import { insertCase, tempStore } from './seed.js';

const templates = loadAnnualTemplates(join(process.cwd(), 'reports/annual'));
let db: Db;
beforeEach(async () => {
  ({ db } = await tempStore());
});
afterEach(() => db.close());

const draft = (year: number) =>
  draftAnnualReport({
    year,
    bureau: '本溪市溪湖区教育局',
    timezone: 'Asia/Shanghai',
    now: new Date('2026-11-28T08:00:00Z'),
    serviceGuides: 0,
    source: createAnnualSource(db),
    templates,
  });
const col = (name: string) => APPLICANT_TYPES.indexOf(name as (typeof APPLICANT_TYPES)[number]);

describe('table 三 from 政府信息公开申请 cases', () => {
  it('carries a request open on 31 December into 四 and into next year’s 二, and balances both years', async () => {
    const d = { type: 'disclosure', channel: 'letter' } as const;
    await insertCase(db, { ...d, receivedAt: '2024-12-20T02:00:00Z', closedAt: '2025-01-06T02:00:00Z', disclosureResult: 'unavailable.not-held', applicantType: '自然人' });
    await insertCase(db, { ...d, receivedAt: '2025-03-03T02:00:00Z', closedAt: '2025-03-20T02:00:00Z', disclosureResult: 'disclosed', applicantType: '自然人' });
    await insertCase(db, { ...d, receivedAt: '2025-05-03T02:00:00Z', closedAt: '2025-05-21T02:00:00Z', disclosureResult: '2.重复申请', applicantType: '法律服务机构' });
    // closed at 2026-01-01 07:00 本溪 time = 2025-12-31 23:00 UTC: belongs to 2026
    await insertCase(db, { ...d, receivedAt: '2025-12-30T02:00:00Z', closedAt: '2025-12-31T23:00:00Z', disclosureResult: 'partial', applicantType: '商业企业' });
    await insertCase(db, { ...d, state: 'withdrawn', receivedAt: '2025-06-01T02:00:00Z', applicantType: '自然人' });
    // a petition by letter is not a 政府信息公开申请
    await insertCase(db, { channel: 'letter', receivedAt: '2025-04-01T02:00:00Z', closedAt: '2025-04-10T02:00:00Z' });

    const { report } = await draft(2025);
    const t = report.table3;
    expect(t.received).toEqual([2, 1, 0, 0, 1, 0, 4]);
    expect(t.carriedIn).toEqual([1, 0, 0, 0, 0, 0, 1]);
    expect(t.results.disclosed).toEqual([1, 0, 0, 0, 0, 0, 1]);
    expect(t.results['unavailable.not-held']).toEqual([1, 0, 0, 0, 0, 0, 1]);
    expect(t.results['not-processed.duplicate']).toEqual([0, 0, 0, 0, 1, 0, 1]);
    expect(t.results['other.other']).toEqual([1, 0, 0, 0, 0, 0, 1]); // withdrawn
    expect(t.resultTotal).toEqual([3, 0, 0, 0, 1, 0, 4]);
    expect(t.carriedOut[col('商业企业')]).toBe(1);
    expect(report.overview[1]?.paragraphs.join('')).toBe(
      '本年度新收政府信息公开申请4件，上年结转1件；已办结4件，其中予以公开1件；结转下年度继续办理1件。均在法定期限内答复。',
    );

    const next = (await draft(2026)).report.table3;
    expect(next.carriedIn).toEqual([0, 1, 0, 0, 0, 0, 1]);
    expect(next.results.partial).toEqual([0, 1, 0, 0, 0, 0, 1]);
    expect(next.carriedOut).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('refuses to draft when a finished request has no result, naming the case', async () => {
    await insertCase(db, { type: 'disclosure', code: 'XH-2025-000777', receivedAt: '2025-03-03T02:00:00Z', closedAt: '2025-03-05T02:00:00Z', applicantType: '自然人' });
    await expect(draft(2025)).rejects.toThrow(
      '1 件已办结的政府信息公开申请未记录办理结果（表三“三、本年度办理结果”），例如 XH-2025-000777；请在办结时选择办理结果后重新生成。',
    );
  });

  it('counts a request without an applicant type as 自然人 and warns', async () => {
    await insertCase(db, { type: 'disclosure', receivedAt: '2025-03-03T02:00:00Z', closedAt: '2025-03-05T02:00:00Z', disclosureResult: 'disclosed' });
    const { report, warnings } = await draft(2025);
    expect(report.table3.received).toEqual([1, 0, 0, 0, 0, 0, 1]);
    expect(warnings).toEqual(['1 件政府信息公开申请未记录申请人类型，已按“自然人”统计。']);
  });

  it('fills table 二 and 四 from the registers', async () => {
    await insertRegisterItems(db, 'normative-doc', [
      { title: '溪湖区中小学学籍管理办法', dateOn: '2020-03-01', category: '行政规范性文件' },
      { title: '溪湖区义务教育阶段招生工作方案', dateOn: '2025-04-01', category: '行政规范性文件' },
      { title: '旧招生办法', dateOn: '2019-04-01', endOn: '2025-04-01', category: '行政规范性文件' },
    ], 'test', new Date('2026-11-20T02:00:00Z'));
    await insertRegisterItems(db, 'license', [{ title: '教师资格认定', dateOn: '2025-05-10', count: 37 }], 'test', new Date('2026-11-20T02:00:00Z'));
    await insertRegisterItems(db, 'fee', [{ title: '教师资格认定体检费', dateOn: '2025-05-10', amountYuan: 12345 }], 'test', new Date('2026-11-20T02:00:00Z'));
    await insertRegisterItems(db, 'review', [
      { title: '某申请人诉区教育局信息公开答复案', category: '行政复议', dateOn: '2025-02-01', outcome: '维持', endOn: '2025-04-01' },
      { title: '某公司起诉案', category: '未经复议直接起诉', dateOn: '2025-11-01', outcome: '纠正', endOn: '2026-02-01' },
    ], 'test', new Date('2026-11-20T02:00:00Z'));
    const { report } = await draft(2025);
    expect(report.table2.normativeDocs).toEqual({ issued: 1, repealed: 1, inForce: 2 });
    expect(report.table2.licenses).toBe(37);
    expect(report.table2.feesWan).toBe(1.2345);
    expect(report.table4.reconsideration).toEqual([1, 0, 0, 0, 1]);
    expect(report.table4.directSuit).toEqual([0, 0, 0, 1, 1]); // decided only in 2026: 尚未审结 on 31 December
    const md = (await renderAnnualReport(report, 'md')).toString('utf8');
    expect(md).toContain('| 第二十条第（一）项·行政规范性文件 | 1 | 1 | 2 |');
    expect(md).toContain('| 第二十条第（八）项·行政事业性收费 | 1.2345 |');
    expect(md).toContain('| 行政复议 | 1 | 0 | 0 | 0 | 1 |');
    expect(md).toContain('本年度因政府信息公开工作被申请行政复议1件、提起行政诉讼1件。');
    expect(md).toContain('本年制发规范性文件1件（《溪湖区义务教育阶段招生工作方案》），均按规定主动公开。废止规范性文件1件。');
  });
});
