import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthlyReport } from '../../../jobs/monthly-report.js';
import { existsSync } from 'node:fs';
import { CHART_FONT_FAMILY, chartFontFile, chartFontOptions, renderChartSvg } from '../../../src/core/reports/monthly/chart.js';
import { collectMonthly, type MonthlyReport } from '../../../src/core/reports/monthly/collect.js';
import { monthlyCsvRecords, renderMonthly } from '../../../src/core/reports/monthly/render.js';
import { insertDisclosure } from '../../../src/storage/disclosures-repo.js';
import { seedCase, seedMessage, seedRating, tempStore, testContext } from '../../jobs/helpers.js';

// A plain Monday-to-Friday calendar so every working-day figure below can be counted by hand.
const weekday = (d: string) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
const monFri = {
  isWorkingDay: weekday,
  addWorkingDays: () => {
    throw new Error('not used');
  },
  workingDaysBetween: () => {
    throw new Error('not used');
  },
};

let store: Awaited<ReturnType<typeof tempStore>>;
let report: MonthlyReport;

beforeAll(async () => {
  store = await tempStore();
  const db = store.db;
  const d = (title: string, category: string, channel: string, publishedOn: string) => insertDisclosure(db, { title, category, channel, publishedOn }, new Date('2026-11-01T02:00:00Z'));
  await d('2026年秋季学期招生公告', '招生入学', '政府网站', '2026-10-01');
  await d('义务教育学区划分说明', '招生入学', '微信公众号', '2026-10-15');
  await d('2026年部门预算', '财政预决算', '政府网站', '2026-10-31');
  await d('11月招生补录公告', '招生入学', '政府网站', '2026-11-01');
  await d('教师招聘公告', '人事信息', '政府网站', '2026-09-30');
  await d('2025年秋季招生公告', '招生入学', '政府网站', '2025-10-10');
  await d('春季教师调整', '人事信息', '政务新媒体', '2026-03-05');

  // c1: 10-01 00:30 local (still 09-30 in UTC): October. 9 working days to close, on time.
  const c1 = await seedCase(db, { code: 'C1', channel: 'minxin', type: 'complaint', state: 'closed', receivedAt: '2026-09-30T16:30:00.000Z', deadlineOn: '2026-10-15', closedAt: '2026-10-14T02:00:00.000Z' });
  const c2 = await seedCase(db, { code: 'C2', channel: 'phone', type: 'inquiry', state: 'closed', receivedAt: '2026-10-10T02:00:00.000Z', deadlineOn: '2026-10-20', closedAt: '2026-10-22T02:00:00.000Z' });
  await seedCase(db, { code: 'C3', channel: 'telegram', type: 'inquiry', state: 'claimed', receivedAt: '2026-10-20T02:00:00.000Z', deadlineOn: '2026-11-03' });
  await seedCase(db, { code: 'C4', channel: 'visit', type: 'petition', state: 'claimed', receivedAt: '2026-10-05T02:00:00.000Z', deadlineOn: '2026-10-30' });
  // c5: 11-01 00:30 local: November, outside the report and the year to date.
  await seedCase(db, { code: 'C5', channel: 'minxin', type: 'complaint', receivedAt: '2026-10-31T16:30:00.000Z', deadlineOn: '2026-11-20' });
  const c6 = await seedCase(db, { code: 'C6', channel: 'letter', type: 'suggestion', state: 'closed', receivedAt: '2026-09-10T02:00:00.000Z', deadlineOn: '2026-10-09', closedAt: '2026-10-09T02:00:00.000Z' });
  const c7 = await seedCase(db, { code: 'C7', channel: 'telegram', type: 'inquiry', state: 'closed', receivedAt: '2025-10-15T02:00:00.000Z', closedAt: '2025-10-16T02:00:00.000Z' });
  await seedCase(db, { code: 'C8', channel: 'slack', type: 'help', state: 'received', receivedAt: '2026-02-01T02:00:00.000Z', deadlineOn: '2026-02-20' });
  await seedCase(db, { code: 'C9', channel: 'minxin', type: 'complaint', state: 'unreachable', unreachable: true, receivedAt: '2026-10-12T02:00:00.000Z', deadlineOn: '2026-10-26', closedAt: '2026-10-13T02:00:00.000Z' });
  await seedCase(db, { code: 'C10', channel: 'letter', type: 'help', state: 'withdrawn', receivedAt: '2026-10-20T03:00:00.000Z', deadlineOn: '2026-10-25' });
  await seedRating(db, c1, '五星', '2026-10-14T03:00:00.000Z');
  await seedRating(db, c2, '三星', '2026-10-23T01:00:00.000Z');
  await seedRating(db, c6, '不参与评星', '2026-10-09T05:00:00.000Z', true);
  await seedRating(db, c7, '五星', '2025-10-17T02:00:00.000Z');

  await seedMessage(db, { text: '几点放学', answered: true, feedback: 1, at: '2026-10-02T02:00:00.000Z' });
  await seedMessage(db, { text: '怎么转学', answered: true, feedback: 0, at: '2026-10-03T02:00:00.000Z' });
  await seedMessage(db, { text: '招生时间', answered: true, at: '2026-10-03T03:00:00.000Z' });
  await seedMessage(db, { text: '校服多少钱', answered: false, at: '2026-10-04T02:00:00.000Z' });
  await seedMessage(db, { text: null, answered: false, at: '2026-09-30T17:00:00.000Z' });
  await seedMessage(db, { text: '寒假时间', answered: true, at: '2026-11-01T01:00:00.000Z' });

  report = await collectMonthly(db, { month: '2026-10', timezone: 'Asia/Shanghai', today: '2026-11-01', ...monFri, serviceGuides: 7 });
});
afterAll(async () => store.cleanup());

describe('monthly report counts (hand-counted fixture, October 2026)', () => {
  it('counts disclosures by category and channel', () => {
    const p = report.periods;
    expect(p.month.disclosures).toEqual({ total: 3, byCategory: { 招生入学: 2, 财政预决算: 1 }, byChannel: { 政府网站: 2, 微信公众号: 1 } });
    expect([p.previous.disclosures.total, p.lastYear.disclosures.total, p.ytd.disclosures.total]).toEqual([1, 1, 5]);
  });

  it('counts cases by channel, type and outcome in local months', () => {
    const m = report.periods.month.cases;
    expect(m).toEqual({
      total: 6,
      byChannel: { minxin: 2, phone: 1, telegram: 1, visit: 1, letter: 1 },
      byType: { complaint: 2, inquiry: 2, petition: 1, help: 1 },
      outcome: { onTime: 2, late: 1, awaitingClose: 0, open: 1, openOverdue: 1, ended: 1 },
    });
    expect(report.periods.previous.cases.total).toBe(1);
    expect(report.periods.lastYear.cases).toMatchObject({ total: 1, outcome: { onTime: 1, late: 0, awaitingClose: 0, open: 0, openOverdue: 0, ended: 0 } });
    expect(report.periods.ytd.cases).toMatchObject({ total: 8, outcome: { onTime: 3, late: 1, awaitingClose: 0, open: 1, openOverdue: 2, ended: 1 } });
  });

  it('averages working days to close over cases closed in the month', () => {
    // C1 9, C2 9, C6 21, C9 1 → 40 / 4.
    expect(report.periods.month.closed).toBe(4);
    expect(report.periods.month.avgWorkingDaysToClose).toBe(10);
    expect(report.periods.previous.avgWorkingDaysToClose).toBeNull();
  });

  it('counts ratings, 不参与评星 and unreachable citizens, and knowledge answers', () => {
    expect(report.periods.month.ratings).toEqual({ byLabel: { 三星: 1, 五星: 1 }, declined: 1, unreachable: 1 });
    expect(report.periods.lastYear.ratings).toEqual({ byLabel: { 五星: 1 }, declined: 0, unreachable: 0 });
    expect(report.periods.month.knowledge).toEqual({ answered: 3, unanswered: 2, helpful: 1, notHelpful: 1 });
  });

  it('gives the 12-month chart series', () => {
    expect(report.series.map((s) => s.month)).toEqual([
      '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10',
    ]);
    expect(report.series.filter((s) => s.cases || s.disclosures)).toEqual([
      { month: '2026-02', cases: 1, disclosures: 0 },
      { month: '2026-03', cases: 0, disclosures: 1 },
      { month: '2026-09', cases: 1, disclosures: 1 },
      { month: '2026-10', cases: 6, disclosures: 3 },
    ]);
  });

  it('adds up the year to date in January and February too', async () => {
    const opts = { timezone: 'Asia/Shanghai', today: '2026-11-01', ...monFri, serviceGuides: 0 };
    const feb = await collectMonthly(store.db, { ...opts, month: '2026-02' });
    expect([feb.periods.month.cases.total, feb.periods.previous.cases.total, feb.periods.ytd.cases.total]).toEqual([1, 0, 1]);
    expect(feb.periods.ytd.cases.outcome.openOverdue).toBe(1);
    const jan = await collectMonthly(store.db, { ...opts, month: '2026-01' });
    expect(jan.periods.ytd).toEqual(jan.periods.month);
  });

  it('renders the comparison rows as text and CSV', () => {
    const text = renderMonthly(report, 'zh').map((p) => p.text).join('\n');
    expect(text).toContain('📊 月度报告 2026-10 （本月 / 上月 / 去年同月 / 本年累计）');
    expect(text).toContain('民心网：2 / 0 / 0 / 2');
    expect(text).toContain('按期答复并办结：2 / 1 / 1 / 3');
    expect(text).toContain('平均办结用时（工作日，按办结时间）：10 / — / 1 / 10');
    expect(text).toContain('不参与评星：1 / 0 / 0 / 1');
    expect(text).toContain('退单或撤回（未办结）：1 / 0 / 0 / 1');
    expect(text).toContain('联系不上诉求人（按受理时间）：1 / 0 / 0 / 1');
    expect(text).toContain('知识库办事指南：7 篇');
    const csv = monthlyCsvRecords(report, 'zh');
    expect(csv[0]).toEqual(['section', 'key', 'label', 'this_month', 'previous_month', 'same_month_last_year', 'year_to_date']);
    expect(csv).toContainEqual(['cases.channel', 'minxin', '民心网', 2, 0, 0, 2]);
  });
});

describe('monthly-report job', () => {
  it('posts last month with the PNG chart attached', async () => {
    const ctx = testContext(store.db);
    const outcome = await monthlyReport.run(ctx, new Date('2026-11-01T09:00:00+08:00'));
    expect(outcome.status).toBe('ok');
    const first = ctx.poster.posts[0]!;
    expect(first.text.split('\n')[0]).toBe('📊 月度报告 2026-10 （本月 / 上月 / 去年同月 / 本年累计）');
    expect(first.file?.filename).toBe('monthly-2026-10.png');
    expect(first.file?.data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(first.file!.data.length).toBeGreaterThan(1000);
  });

  it('labels the chart in Chinese', async () => {
    const svg = await renderChartSvg(report.series, 'zh');
    expect(svg).toContain('每月案件与主动公开数量（近 12 个月）');
    for (const label of ['2025-11', '2026-10', '案件', '主动公开', '月份', '件数']) expect(svg).toContain(`>${label}</text>`);
    expect(svg).not.toMatch(/>(cases|disclosures|Month|Count)<\/text>/);
  });

  it('labels the chart in English for STAFF_LOCALE=en', async () => {
    const svg = await renderChartSvg(report.series, 'en');
    expect(svg).toContain('Cases and proactive disclosures per month (last 12 months)');
    for (const label of ['2025-11', '2026-10', 'Cases', 'Proactive disclosures', 'Month', 'Count']) expect(svg).toContain(`>${label}</text>`);
    expect(svg).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('draws Han characters with the font the project installs, not a system font', async () => {
    const { Resvg } = await import('@resvg/resvg-js');
    const text = (family: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><text x="4" y="30" font-size="24" font-family="${family}">案件</text></svg>`;
    const ink = (svg: string) => {
      const pixels = new Resvg(svg, { background: 'white', font: chartFontOptions() }).render().pixels;
      let dark = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 128) dark++;
      return dark;
    };
    expect(existsSync(chartFontFile())).toBe(true);
    expect(ink(text(CHART_FONT_FAMILY))).toBeGreaterThan(50);
    // An unknown family falls back to the chart font, never to whatever the machine has.
    expect(ink(text('Some Missing Font'))).toBe(ink(text(CHART_FONT_FAMILY)));
  });
});

describe('average working days with the real calendar (国庆 2026, 调休)', () => {
  it('matches workingDaysBetween case by case', async () => {
    const s = await tempStore();
    try {
      const { calendar } = await import('../../jobs/helpers.js');
      const spans: [string, string][] = [
        ['2026-09-28T02:00:00.000Z', '2026-10-12T02:00:00.000Z'], // across the holiday and a make-up Saturday
        ['2026-09-30T15:00:00.000Z', '2026-10-09T03:00:00.000Z'], // received 23:00 local on 09-30
        ['2026-10-13T02:00:00.000Z', '2026-10-13T09:00:00.000Z'], // same day
        ['2026-08-20T02:00:00.000Z', '2026-10-30T02:00:00.000Z'],
      ];
      for (const [i, [received, closed]] of spans.entries())
        await seedCase(s.db, { code: `W${i}`, state: 'closed', receivedAt: received, closedAt: closed, deadlineOn: '2026-12-31' });
      const r = await collectMonthly(s.db, {
        month: '2026-10',
        timezone: 'Asia/Shanghai',
        today: '2026-11-01',
        isWorkingDay: (d) => calendar.isWorkingDay(d),
        serviceGuides: 0,
      });
      const local = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
      const each = spans.map(([a, b]) => calendar.workingDaysBetween(local(a), local(b)));
      expect(each[2]).toBe(0);
      expect(r.periods.month.avgWorkingDaysToClose).toBe(Math.round((each.reduce((x, y) => x + y, 0) / each.length) * 10) / 10);
    } finally {
      await s.cleanup();
    }
  });
});
