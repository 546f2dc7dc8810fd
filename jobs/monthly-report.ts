import { addMonths, localParts } from '../src/core/reports/local-time.js';
import { renderChartPng } from '../src/core/reports/monthly/chart.js';
import { collectMonthly, type MonthlyReport } from '../src/core/reports/monthly/collect.js';
import { renderMonthly } from '../src/core/reports/monthly/render.js';
import { t } from '../src/core/i18n/index.js';
import type { Job, JobContext } from './types.js';

/** The report for `month` (YYYY-MM) as of `now`. */
export async function buildMonthlyReport(ctx: JobContext, month: string, now: Date): Promise<MonthlyReport> {
  return collectMonthly(ctx.db, {
    month,
    timezone: ctx.timezone,
    today: localParts(now, ctx.timezone).date,
    isWorkingDay: (d) => ctx.calendar.isWorkingDay(d),
    serviceGuides: await ctx.countServiceGuides(),
  });
}

/** On the 1st: last month's figures with the 12-month chart attached to the first post. */
export const monthlyReport: Job = {
  name: 'monthly-report',
  schedule: '0 9 1 * *',
  configKey: 'MONTHLY_CRON',
  description: "Last month's counts (disclosures, cases, ratings, knowledge) vs previous month and last year, with a PNG chart",
  async run(ctx, now) {
    const month = addMonths(localParts(now, ctx.timezone).month, -1);
    const report = await buildMonthlyReport(ctx, month, now);
    const posts = renderMonthly(report, ctx.locale);
    const png = await renderChartPng(report.series);
    const file = { filename: `monthly-${month}.png`, title: `${t(ctx.locale, 'jobs.monthly.chartTitle')} ${month}`, data: png };
    for (const [i, post] of posts.entries()) await ctx.poster.post(i === 0 ? { ...post, file } : post);
    return { status: 'ok', posts: posts.length };
  },
};
