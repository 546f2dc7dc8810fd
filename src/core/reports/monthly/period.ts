import type { PeriodBounds } from '../../../storage/report-queries.js';
import { addMonths, offsetMinutes, startOfLocalDay } from '../local-time.js';

/** Local-date and UTC bounds of [fromMonth, toMonth) (YYYY-MM, end exclusive) in `tz`. */
export function monthsBounds(fromMonth: string, toMonthExclusive: string, tz: string): PeriodBounds {
  const fromDate = `${fromMonth}-01`;
  const toDate = `${toMonthExclusive}-01`;
  const from = startOfLocalDay(fromDate, tz);
  return {
    fromDate,
    toDate,
    fromUtc: from.toISOString(),
    toUtc: startOfLocalDay(toDate, tz).toISOString(),
    offsetMinutes: offsetMinutes(from, tz),
  };
}

export interface ReportPeriods {
  month: PeriodBounds;
  previous: PeriodBounds;
  lastYear: PeriodBounds;
  ytd: PeriodBounds;
  /** The 12 months ending with `month`, for the chart. */
  chart: PeriodBounds;
}

/** The periods the monthly report compares for `month` (YYYY-MM). */
export function reportPeriods(month: string, tz: string): ReportPeriods {
  const next = addMonths(month, 1);
  return {
    month: monthsBounds(month, next, tz),
    previous: monthsBounds(addMonths(month, -1), month, tz),
    lastYear: monthsBounds(addMonths(month, -12), addMonths(month, -11), tz),
    ytd: monthsBounds(`${month.slice(0, 4)}-01`, next, tz),
    chart: monthsBounds(addMonths(month, -11), next, tz),
  };
}

/** The 12 month labels (YYYY-MM) ending with `month`. */
export function chartMonths(month: string): string[] {
  return Array.from({ length: 12 }, (_, i) => addMonths(month, i - 11));
}
