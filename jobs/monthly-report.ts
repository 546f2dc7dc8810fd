import { addMonths, localParts } from '../src/core/reports/local-time.js';
import { renderChartPng } from '../src/core/reports/monthly/chart.js';
import { collectMonthly, type MonthlyReport } from '../src/core/reports/monthly/collect.js';
import { renderMonthly } from '../src/core/reports/monthly/render.js';
import { t } from '../src/core/i18n/index.js';
import { lastPostedMonth, recordMonthPosted } from '../src/storage/jobs-repo.js';
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

/** At most this many months are made up at once (a bot down for a year posts the last year, not every month since). */
export const MAX_CATCHUP_MONTHS = 12;

/**
 * The months to post at `now`: last month, and every earlier month after the last one that reached staff
 * (monthly_report_posts) — the latest month posted, so none of these was. A failed run, its retry, a restart or next
 * month's run thus posts each month once.
 */
export async function monthsToPost(ctx: JobContext, now: Date): Promise<string[]> {
  const last = addMonths(localParts(now, ctx.timezone).month, -1);
  if (ctx.manual) return [last]; // `jobs run`: the admin asked for last month's report, posted again if need be
  const posted = await lastPostedMonth(ctx.db);
  const months: string[] = [];
  for (let month = last; months.length < MAX_CATCHUP_MONTHS && posted !== null && month > posted; month = addMonths(month, -1))
    months.unshift(month);
  if (posted === null) months.push(last);
  return months;
}

/** On the 1st: last month's figures with the 12-month chart attached to the first post (and any month missed before). */
export const monthlyReport: Job = {
  name: 'monthly-report',
  schedule: '0 9 1 * *',
  configKey: 'MONTHLY_CRON',
  description: "Last month's counts (disclosures, cases, ratings, knowledge) vs previous month and last year, with a PNG chart",
  async run(ctx, now) {
    let count = 0;
    for (const month of await monthsToPost(ctx, now)) {
      const report = await buildMonthlyReport(ctx, month, now);
      const posts = renderMonthly(report, ctx.locale);
      const png = await renderChartPng(report.series, ctx.locale);
      const file = { filename: `monthly-${month}.png`, title: `${t(ctx.locale, 'jobs.monthly.chartTitle')} ${month}`, data: png };
      for (const [i, post] of posts.entries()) await ctx.poster.post(i === 0 ? { ...post, file } : post);
      // Recorded once all its posts went out: a failure before leaves the month to the retry (a repeat beats a loss).
      if (!ctx.dryRun) await recordMonthPosted(ctx.db, month, now);
      count += posts.length;
    }
    return { status: 'ok', posts: count };
  },
};
