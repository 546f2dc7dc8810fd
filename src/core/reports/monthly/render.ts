import '../../i18n/jobs.js';
import { t } from '../../i18n/index.js';
import { channelLabel, typeLabel } from '../../i18n/labels.js';
import type { StaffPost } from '../../staff-post.js';
import { CASE_TYPES, CHANNELS, type Locale } from '../../types.js';
import { paginate, plainLine, type Section } from '../blocks.js';
import type { MonthlyReport, PeriodStats } from './collect.js';

/** One line of the report: the same figure in the four compared periods. */
export interface ReportRow {
  section: string;
  key: string;
  label: string;
  values: [number | null, number | null, number | null, number | null]; // month, previous, same month last year, YTD
}

type Pick = (s: PeriodStats) => number | null;

function keysOf(r: MonthlyReport, get: (s: PeriodStats) => Record<string, number>, fixed: readonly string[] = []): string[] {
  const seen = new Set<string>(fixed);
  for (const s of Object.values(r.periods)) for (const k of Object.keys(get(s))) seen.add(k);
  const extra = [...seen].filter((k) => !fixed.includes(k)).sort();
  return [...fixed, ...extra];
}

/** The report as rows, in display order; text, blocks and CSV are all made from these. */
export function reportRows(r: MonthlyReport, locale: Locale): ReportRow[] {
  const rows: ReportRow[] = [];
  const p = r.periods;
  const add = (section: string, key: string, label: string, pick: Pick) =>
    rows.push({ section, key, label, values: [pick(p.month), pick(p.previous), pick(p.lastYear), pick(p.ytd)] });
  const tt = (key: string) => t(locale, `jobs.${key}`);
  add('disclosures', 'total', tt('monthly.total'), (s) => s.disclosures.total);
  for (const k of keysOf(r, (s) => s.disclosures.byCategory)) add('disclosures.category', k, k, (s) => s.disclosures.byCategory[k] ?? 0);
  for (const k of keysOf(r, (s) => s.disclosures.byChannel)) add('disclosures.channel', k, k, (s) => s.disclosures.byChannel[k] ?? 0);
  add('cases', 'total', tt('monthly.total'), (s) => s.cases.total);
  for (const k of keysOf(r, (s) => s.cases.byChannel, CHANNELS))
    add('cases.channel', k, CHANNELS.includes(k as never) ? channelLabel(locale, k) : k, (s) => s.cases.byChannel[k] ?? 0);
  for (const k of keysOf(r, (s) => s.cases.byType, CASE_TYPES))
    add('cases.type', k, CASE_TYPES.includes(k as never) ? typeLabel(locale, k) : k, (s) => s.cases.byType[k] ?? 0);
  for (const k of ['onTime', 'late', 'awaitingClose', 'open', 'openOverdue', 'ended'] as const) add('cases.outcome', k, tt(`monthly.${k}`), (s) => s.cases.outcome[k]);
  add('cases.close', 'avgWorkingDays', tt('monthly.avgClose'), (s) => s.avgWorkingDaysToClose);
  for (const k of keysOf(r, (s) => s.ratings.byLabel)) add('ratings', k, k, (s) => s.ratings.byLabel[k] ?? 0);
  add('ratings', 'declined', tt('monthly.declined'), (s) => s.ratings.declined);
  add('ratings', 'unreachable', tt('monthly.unreachable'), (s) => s.ratings.unreachable);
  for (const k of ['answered', 'unanswered', 'helpful', 'notHelpful'] as const)
    add('knowledge', k, tt(`monthly.${k}`), (s) => s.knowledge[k]);
  for (const k of ['review', 'recheck', 'overturned', 'late', 'repeat', 'withdrawn'] as const)
    add('reviews', k, tt(`monthly.reviews.${k}`), (s) => s.reviews[k]);
  return rows;
}

const SECTION_HEADINGS: [string, string][] = [
  ['disclosures', 'monthly.disclosures'],
  ['disclosures.category', 'monthly.disclosuresByCategory'],
  ['disclosures.channel', 'monthly.disclosuresByChannel'],
  ['cases', 'monthly.cases'],
  ['cases.channel', 'monthly.casesByChannel'],
  ['cases.type', 'monthly.casesByType'],
  ['cases.outcome', 'monthly.outcome'],
  ['cases.close', 'monthly.avgClose'],
  ['ratings', 'monthly.ratings'],
  ['knowledge', 'monthly.knowledge'],
  ['reviews', 'monthly.reviews'],
];

const show = (v: number | null) => (v === null ? '—' : String(v));

/** The report as a staff post (blocks + text form); the chart is attached by the job. */
export function renderMonthly(r: MonthlyReport, locale: Locale): StaffPost[] {
  const rows = reportRows(r, locale);
  const sections: Section[] = SECTION_HEADINGS.map(([id, key]) => {
    const lines = rows
      .filter((row) => row.section === id)
      .map((row) => {
        const [cur, prev, lastYear, ytd] = row.values.map(show) as [string, string, string, string];
        return plainLine(t(locale, 'jobs.monthly.row', { label: row.label, cur, prev, lastYear, ytd }));
      });
    return { heading: t(locale, `jobs.${key}`), lines: lines.length ? lines : [plainLine(t(locale, 'jobs.monthly.none'))] };
  });
  sections.push({ heading: t(locale, 'jobs.monthly.guides', { n: r.serviceGuides }), lines: [] });
  const title = `${t(locale, 'jobs.monthly.title', { month: r.month })} ${t(locale, 'jobs.monthly.columns')}`;
  return paginate(title, sections, (page, pages) => t(locale, 'jobs.digest.page', { page, pages }));
}

/** CSV records (header first) for `report monthly --format csv`. */
export function monthlyCsvRecords(r: MonthlyReport, locale: Locale): (string | number)[][] {
  const header = ['section', 'key', 'label', 'this_month', 'previous_month', 'same_month_last_year', 'year_to_date'];
  const body = reportRows(r, locale).map((row) => [row.section, row.key, row.label, ...row.values.map((v) => (v === null ? '' : v))]);
  body.push(['knowledge', 'serviceGuides', t(locale, 'jobs.monthly.guidesLabel'), r.serviceGuides, '', '', '']);
  return [header, ...body];
}
