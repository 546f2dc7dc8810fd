import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAnnualArgs } from '../../../../src/cli/report-annual.js';
import { draftAnnualReport, loadAnnualTemplates } from '../../../../src/core/reports/annual/index.js';
import { projectPath } from '../../../../src/project-root.js';
import { createAnnualSource } from '../../../../src/storage/annual-report-repo.js';
import type { Db } from '../../../../src/storage/db.js';
import { insertCase, tempStore } from './seed.js';

const templates = loadAnnualTemplates(join(process.cwd(), 'reports/annual'));
let db: Db;
beforeEach(async () => {
  ({ db } = await tempStore());
});
afterEach(() => db.close());

const draft = (year: number, now = '2026-01-15T08:00:00Z') =>
  draftAnnualReport({
    year,
    bureau: '本溪市溪湖区教育局',
    timezone: 'Asia/Shanghai',
    now: new Date(now),
    serviceGuides: 0,
    source: createAnnualSource(db),
    templates,
  });
const requestsParagraph = async (year = 2025) => (await draft(year)).report.overview[1]?.paragraphs.join('') ?? '';
const text = async (year: number, now?: string) => {
  const { report } = await draft(year, now);
  return [report.title, ...report.intro, ...report.overview.flatMap((o) => o.paragraphs)].join('\n');
};
const disclosure = { type: 'disclosure', channel: 'letter', applicantType: '自然人' } as const;

describe('annual report wording follows the data (issue 15, item 8)', () => {
  it('does not claim "均在法定期限内答复" when nothing was answered', async () => {
    await insertCase(db, { ...disclosure, receivedAt: '2025-12-01T02:00:00Z', deadlineOn: '2025-12-22' });
    const p = await requestsParagraph();
    expect(p).toContain('本年度新收政府信息公开申请1件');
    expect(p).not.toContain('均在法定期限内答复');
    expect(p).toContain('其中1件超过法定期限答复或尚未答复。'); // still open on 2026-01-15, past 2025-12-22
  });

  it('says so only when every answered request was on time', async () => {
    await insertCase(db, { ...disclosure, receivedAt: '2025-03-03T02:00:00Z', closedAt: '2025-03-20T02:00:00Z', deadlineOn: '2025-03-31', disclosureResult: 'disclosed' });
    expect(await requestsParagraph()).toContain('均在法定期限内答复。');
    await insertCase(db, { ...disclosure, receivedAt: '2025-05-06T02:00:00Z', closedAt: '2025-06-20T02:00:00Z', deadlineOn: '2025-05-27', disclosureResult: 'disclosed' });
    const p = await requestsParagraph();
    expect(p).not.toContain('均在法定期限内答复');
    expect(p).toContain('其中1件超过法定期限答复或尚未答复。');
  });

  it('does not call console-filed cases 窗口登记', async () => {
    await insertCase(db, { channel: 'console', type: 'complaint', receivedAt: '2025-04-01T02:00:00Z', closedAt: '2025-04-10T02:00:00Z' });
    const all = await text(2025);
    expect(all).not.toContain('窗口登记');
    expect(all).toContain('网上咨询平台（本地控制台）1件');
  });

  it('marks a year that is not over with （截至 YYYY-MM-DD）, and a finished one without', async () => {
    expect(await text(2026, '2026-12-06T03:00:00Z')).toContain('本溪市溪湖区教育局2026年政府信息公开工作年度报告（截至 2026-12-06）');
    expect(await text(2026, '2026-12-06T03:00:00Z')).toContain('2026年1月1日至12月31日（截至 2026-12-06）');
    expect(await text(2025)).not.toContain('截至');
  });

  it('writes a .docx without --out to reports/out/, not the checkout root', () => {
    const opts = parseAnnualArgs(['--year', '2025', '--format', 'docx'], new Date('2026-01-15T08:00:00Z'));
    expect(opts.out).toBe(projectPath('reports', 'out', '政府信息公开工作年度报告-2025.docx'));
  });
});
