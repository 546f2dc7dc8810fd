import type { Db } from '../../../storage/db.js';
import * as q from '../../../storage/report-queries.js';
import { reviewCounts } from '../../../storage/reviews-repo.js';
import { OVERTURNING_OUTCOMES, PENDING_OUTCOME, WITHDRAWN_OUTCOME } from '../../cases/reviews.js';
import { addDays, addMonths, localParts, startOfLocalDay } from '../local-time.js';
import { addStats, averageOf } from './add-stats.js';
import { chartMonths, monthsBounds, reportPeriods } from './period.js';

/** The figures of one period. Keys of the maps are raw values (channel, type, category, rating label). */
export interface PeriodStats {
  disclosures: { total: number; byCategory: Record<string, number>; byChannel: Record<string, number> };
  cases: {
    total: number;
    byChannel: Record<string, number>;
    byType: Record<string, number>;
    outcome: { onTime: number; late: number; awaitingClose: number; open: number; openOverdue: number; ended: number };
  };
  /** Mean working days from receipt to closure of cases closed in the period, 1 decimal; null when none closed. */
  avgWorkingDaysToClose: number | null;
  /** Sum of working days to close over the `closed` cases (so periods can be added up). */
  workingDaysToCloseTotal: number;
  closed: number;
  ratings: { byLabel: Record<string, number>; declined: number; unreachable: number };
  knowledge: { answered: number; unanswered: number; helpful: number; notHelpful: number };
  /**
   * 信访 复查 / 复核 decisions that reached the bureau in the period (case_reviews.received_on): how many of each, how
   * many overturned the bureau's 处理意见 (撤销 / 变更), how many requests were out of time, and repeat complaints after
   * 复核 (不再受理). The annual disclosure report has no row for them (it covers 政府信息公开 only).
   */
  reviews: { review: number; recheck: number; overturned: number; late: number; repeat: number; withdrawn: number };
}

export interface MonthlyReport {
  month: string;
  generatedOn: string;
  periods: { month: PeriodStats; previous: PeriodStats; lastYear: PeriodStats; ytd: PeriodStats };
  serviceGuides: number;
  series: { month: string; cases: number; disclosures: number }[];
}

export interface CollectOptions {
  month: string; // YYYY-MM
  timezone: string;
  today: string; // local YYYY-MM-DD, for "open and overdue"
  isWorkingDay(date: string): boolean;
  serviceGuides: number;
}

const bump = (map: Record<string, number>, key: string, n: number) => {
  map[key] = (map[key] ?? 0) + n;
};

/**
 * The calendar's corrections to a plain Mon–Fri count between two dates: −1 from each weekday
 * holiday on, +1 from each 调休 make-up weekend day on (see closeWorkingDays).
 */
function corrections(from: string, to: string, o: CollectOptions): { base: number; steps: { fromUtc: string; value: number }[] } {
  const steps: { fromUtc: string; value: number }[] = [];
  let value = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const weekend = [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
    const working = o.isWorkingDay(d);
    if (working === !weekend) continue;
    value += working ? 1 : -1;
    steps.push({ fromUtc: startOfLocalDay(d, o.timezone).toISOString(), value });
  }
  return { base: 0, steps };
}

/** Mean working days from receipt to closure of cases closed in the period, 1 decimal. */
async function averageWorkingDays(db: Db, p: q.PeriodBounds, o: CollectOptions): Promise<{ closed: number; avg: number | null; total: number }> {
  const { n, minReceived } = await q.closedInPeriod(db, p);
  if (n === 0 || !minReceived) return { closed: n, avg: null, total: 0 };
  const first = localParts(new Date(minReceived), o.timezone).date;
  const total = await q.closeWorkingDays(db, p, corrections(first, p.toDate, o));
  return { closed: n, avg: averageOf(total, n), total };
}

type Pairs = Awaited<ReturnType<typeof q.reportPairs>>;

async function periodStats(db: Db, p: q.PeriodBounds, o: CollectOptions, pairs: Pairs): Promise<PeriodStats> {
  const [disc, cases, durations, ratings, unreachable, messages] = await Promise.all([
    q.disclosureCounts(db, p, pairs.disclosures),
    q.caseCounts(db, p, o.today, pairs.cases),
    averageWorkingDays(db, p, o),
    q.ratingCounts(db, p, pairs.ratings),
    q.unreachableCount(db, p),
    q.messageCounts(db, p),
  ]);
  const reviewRows = await reviewCounts(db, p.fromDate, p.toDate, PENDING_OUTCOME);
  const s: PeriodStats = {
    disclosures: { total: 0, byCategory: {}, byChannel: {} },
    cases: { total: 0, byChannel: {}, byType: {}, outcome: { onTime: 0, late: 0, awaitingClose: 0, open: 0, openOverdue: 0, ended: 0 } },
    avgWorkingDaysToClose: durations.avg,
    workingDaysToCloseTotal: durations.total,
    closed: durations.closed,
    ratings: { byLabel: {}, declined: 0, unreachable },
    knowledge: {
      answered: messages.answered,
      unanswered: messages.total - messages.answered,
      helpful: messages.helpful,
      notHelpful: messages.notHelpful,
    },
    reviews: { review: 0, recheck: 0, overturned: 0, late: 0, repeat: 0, withdrawn: 0 },
  };
  for (const r of reviewRows) {
    // A withdrawn request (撤回) decided nothing: counted apart, not as a 复查 / 复核意见 nor as a late request.
    if (r.outcome === WITHDRAWN_OUTCOME) {
      s.reviews.withdrawn += r.n;
      continue;
    }
    s.reviews[r.level] += r.n;
    if (r.level !== 'repeat' && OVERTURNING_OUTCOMES.includes(r.outcome)) s.reviews.overturned += r.n;
    if (r.level !== 'repeat' && !r.inTime) s.reviews.late += r.n;
  }
  for (const r of disc) {
    s.disclosures.total += r.n;
    bump(s.disclosures.byCategory, r.category, r.n);
    bump(s.disclosures.byChannel, r.channel, r.n);
  }
  for (const r of cases) {
    s.cases.total += r.n;
    bump(s.cases.byChannel, r.channel, r.n);
    bump(s.cases.byType, r.type, r.n);
    s.cases.outcome[r.outcome] += r.n;
  }
  for (const r of ratings) {
    if (r.declined) s.ratings.declined += r.n;
    // A rating staff recorded names how it was given ("五星级（民心网）", "满意（电话回访）"); the bot's stand alone.
    else bump(s.ratings.byLabel, r.via ? `${r.label}（${r.via}）` : r.label, r.n);
  }
  return s;
}

/**
 * Every figure of the monthly report for `month`, compared with the previous
 * month, the same month last year and the year to date.
 */
export async function collectMonthly(db: Db, o: CollectOptions): Promise<MonthlyReport> {
  const periods = reportPeriods(o.month, o.timezone);
  const monthNumber = Number(o.month.slice(5, 7));
  const pairs = await q.reportPairs(db);
  const [month, previous, lastYear, series] = await Promise.all([
    periodStats(db, periods.month, o, pairs),
    periodStats(db, periods.previous, o, pairs),
    periodStats(db, periods.lastYear, o, pairs),
    q.monthlySeries(db, chartMonths(o.month).map((m) => ({ month: m, ...monthsBounds(m, addMonths(m, 1), o.timezone) }))),
  ]);
  // Year to date = January … two months back + previous month + this month: no row is read twice.
  let ytd = month;
  if (monthNumber === 2) ytd = addStats(previous, month);
  if (monthNumber > 2) {
    const early = await periodStats(db, monthsBounds(`${o.month.slice(0, 4)}-01`, addMonths(o.month, -1), o.timezone), o, pairs);
    ytd = addStats(addStats(early, previous), month);
  }
  return { month: o.month, generatedOn: o.today, periods: { month, previous, lastYear, ytd }, serviceGuides: o.serviceGuides, series };
}
