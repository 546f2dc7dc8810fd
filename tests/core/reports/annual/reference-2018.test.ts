import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAnnualReport, draftAnnualReport, loadAnnualTemplates, renderAnnualReport } from '../../../../src/core/reports/annual/index.js';
import type { AnnualReport } from '../../../../src/core/reports/annual/model.js';
import { RESULT_KEYS, SECTION_HEADINGS } from '../../../../src/core/reports/annual/model.js';
import { checkAnnualReport } from '../../../../src/core/reports/annual/checks.js';
import { collectAnnualFacts } from '../../../../src/core/reports/annual/gather.js';
import { createAnnualSource } from '../../../../src/storage/annual-report-repo.js';
import type { Db } from '../../../../src/storage/db.js';
import { PROPOSAL, RENOVATIONS, seedReference2018, tempStore } from './seed.js';

const templates = loadAnnualTemplates(join(process.cwd(), 'reports/annual'));
const options = (db: Db, year = 2018) => ({
  year,
  bureau: '本溪市溪湖区教育局',
  timezone: 'Asia/Shanghai',
  now: new Date('2019-01-15T02:00:00Z'),
  serviceGuides: 5,
  source: createAnnualSource(db),
  templates,
});

let db: Db;
let report: AnnualReport;

beforeAll(async () => {
  ({ db } = await tempStore());
  await seedReference2018(db);
  ({ report } = await draftAnnualReport(options(db)));
});
afterAll(() => db.close());

const section = (md: string, from: string, to: string) => md.slice(md.indexOf(`## ${from}`), md.indexOf(`## ${to}`));
const allNumbers = (r: AnnualReport) => [
  ...r.table3.received,
  ...r.table3.carriedIn,
  ...RESULT_KEYS.flatMap((k) => r.table3.results[k]),
  ...r.table3.resultTotal,
  ...r.table3.carriedOut,
];

describe('annual report for the 2018 reference facts', () => {
  it('reports the published items, service guides and renovation projects in 一（一）主动公开', () => {
    const block = report.overview[0];
    expect(block?.heading).toBe('（一）主动公开');
    const text = block?.paragraphs.join('') ?? '';
    expect(text).toContain('全年通过区政府信息公开平台、本溪市教育网主动公开政府信息1024条');
    expect(text).toContain('重大新闻300条、校园快讯500条、招生政策100条、招生计划74条、规范性文件50条');
    expect(text).toContain('区政府信息公开平台424条、本溪市教育网600条');
    expect(text).toContain('梳理公开办事指南5项');
    expect(text).toContain(`主动公开重大建设项目和教育民生项目实施情况2项：${RENOVATIONS[0]}（已完工并公开实施情况）；${RENOVATIONS[1]}`);
  });

  it('puts the 29 petitions, their ratings, the unreachable petitioner and timeliness in 一（五） and 六, never in table 三', async () => {
    const oversight = report.overview[4]?.paragraphs.join('') ?? '';
    expect(report.overview[4]?.heading).toBe('（五）监督保障');
    expect(oversight).toContain('全年共受理群众诉求29件，其中民心网20件、电话9件。');
    expect(oversight).toContain('诉求人评价：六星级1件、五星级17件、不参与评星2件。');
    expect(oversight).toContain('联系不上诉求人1件。无超期办理件。');
    expect(oversight).toContain('本年度未发生因政府信息公开工作被申请行政复议或提起行政诉讼的情况。');
    const other = report.other.join('');
    expect(other).toContain('全年受理民心网20件、电话9件，共29件，均在规定时限内办理，无超期件。评价结果为六星级1件、五星级17件、不参与评星2件。');
    const md = (await renderAnnualReport(report, 'md')).toString('utf8');
    const table3 = section(md, SECTION_HEADINGS[2], SECTION_HEADINGS[3]);
    expect(table3).not.toMatch(/民心网|电话|29|20/);
  });

  it('reports the CPPCC proposal and no information-processing fee in 六', () => {
    const other = report.other.join('\n');
    expect(other).toContain(`本年度共办理政协委员提案1件（《${PROPOSAL}》），已按时办结并答复。`);
    expect(other).toContain('2018年未收取信息处理费。');
  });

  it('has tables 三 and 四 all zeros and balanced, and says so in 一（二）', () => {
    expect(allNumbers(report).every((n) => n === 0)).toBe(true);
    expect(allNumbers(report)).toHaveLength(25 * 7);
    const t4 = report.table4;
    expect([...t4.reconsideration, ...t4.directSuit, ...t4.suitAfterReview]).toEqual(Array(15).fill(0));
    expect(checkAnnualReport(report)).toEqual([]);
    expect(report.overview[1]?.paragraphs.join('')).toBe('本年度未收到政府信息公开申请，无上年结转申请。');
  });

  it('notes in 一 that the national format postdates 2018 and states the period', () => {
    const intro = report.intro.join('\n');
    expect(intro).toContain('本报告中所列数据统计期限为2018年1月1日至12月31日。');
    expect(intro).toContain('国家统一的年度报告格式晚于该年度发布；为便于比较，本报告按现行格式编制');
  });

  it('counts the case received at 00:30 on 1 January 2019 (本溪 time) in 2019, not 2018', async () => {
    const { facts } = await collectAnnualFacts({ ...options(db, 2019) });
    expect(facts.petitions.total).toBe(1);
    expect(facts.disclosures.total).toBe(0);
  });

  it('refuses an unbalanced input and names the failing check, column and numbers', async () => {
    const { facts } = await collectAnnualFacts(options(db));
    facts.requests.received.push({ key: '自然人', count: 2 });
    expect(() => buildAnnualReport(facts, templates)).toThrow(
      /收办平衡：表三“自然人”列 一（2）\+ 二（0）= 2，但 三（七）总计（0）\+ 四（0）= 0/,
    );
    const tampered: AnnualReport = structuredClone(report);
    tampered.table4.directSuit = [1, 0, 0, 0, 0];
    tampered.table3.results['withheld.state-secret'] = [0, 0, 0, 0, 0, 0, 1];
    await expect(renderAnnualReport(tampered, 'docx')).rejects.toMatchObject({ code: 'report_unbalanced' });
    await expect(renderAnnualReport(tampered, 'md')).rejects.toThrow(
      /表四总计：“行政诉讼·未经复议直接起诉”四项结果合计 1，但“总计”为 0/,
    );
    await expect(renderAnnualReport(tampered, 'html')).rejects.toThrow(
      /横向总计：表三“（三）不予公开1\.属于国家秘密”行 六类申请人合计 0，但“总计”列为 1/,
    );
  });

  it('writes a .docx that opens: A4, six headings, three tables with merged cells, 黑体 and 仿宋', async () => {
    const bytes = await renderAnnualReport(report, 'docx');
    const files = unzipSync(new Uint8Array(bytes));
    const xml = strFromU8(files['word/document.xml'] ?? new Uint8Array());
    for (const heading of SECTION_HEADINGS) expect(xml).toContain(`>${heading}</w:t>`);
    const order = SECTION_HEADINGS.map((h) => xml.indexOf(`>${h}</w:t>`));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(xml.match(/<w:tbl>/g)).toHaveLength(3);
    expect(xml).toContain('<w:gridSpan w:val="7"/>'); // 申请人情况
    expect(xml).toMatch(/<w:vMerge w:val="restart"\/>/);
    expect(xml).toContain('w:eastAsia="黑体"');
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toContain('全年共受理群众诉求29件，其中民心网20件、电话9件。');
    expect(xml).toContain('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）');
  });

  it('renders HTML with the official merged headers', async () => {
    const html = (await renderAnnualReport(report, 'html')).toString('utf8');
    expect(html).toContain('<th colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th>');
    expect(html).toContain('<td rowspan="22">三、本年度办理结果</td>');
    expect(html).toContain('<td rowspan="8">（三）不予公开</td><td>1.属于国家秘密</td>');
    expect(html).toContain('<th colspan="5" rowspan="2">行政复议</th><th colspan="10">行政诉讼</th>');
    for (const heading of SECTION_HEADINGS) expect(html).toContain(`<h2>${heading}</h2>`);
  });
});
