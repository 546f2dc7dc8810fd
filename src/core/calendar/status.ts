import { assertIsoDate, yearOf, type IsoDate } from './dates.js';
import type { WorkCalendar } from './calendar.js';
import { t } from '../i18n/index.js';
import '../i18n/staff.js';
import type { Locale } from '../types.js';

/**
 * Whether the calendar is ready for the coming year. The State Council publishes next year's
 * schedule in autumn (usually November); from `warnFrom` (MM-DD, default 12-01) on, a missing
 * next year is an operating condition to announce (healthz, digest, admin notice, start-up log),
 * never a failure.
 */
export interface CalendarStatus {
  today: IsoDate;
  nextYear: number;
  nextYearKnown: boolean;
  /** True when `today` is on or after warnFrom and next year's schedule is unknown. */
  nextYearMissing: boolean;
  /**
   * True when the schedule of `today`'s own year is unknown (the year turned before it was imported):
   * every deadline counted now is estimated, so this is announced whatever the date.
   */
  thisYearMissing: boolean;
  /** The year whose schedule is missing and announced (this year before next), null when none. */
  missingYear: number | null;
  /** One line for admins in `locale` (STAFF_LOCALE), null when nothing is missing. */
  notice: string | null;
}

export const DEFAULT_CALENDAR_WARN_FROM = '12-01';

export function calendarStatus(
  calendar: Pick<WorkCalendar, 'isKnown'>,
  today: IsoDate,
  warnFrom: string = DEFAULT_CALENDAR_WARN_FROM,
  locale: Locale = 'zh',
): CalendarStatus {
  assertIsoDate(today, 'today');
  if (!/^\d{2}-\d{2}$/.test(warnFrom)) throw new Error(`warnFrom must be written MM-DD, e.g. 12-01 (got "${warnFrom}")`);
  const thisYear = yearOf(today);
  const nextYear = thisYear + 1;
  const nextYearKnown = calendar.isKnown(`${nextYear}-01-01`);
  const nextYearMissing = !nextYearKnown && today.slice(5) >= warnFrom;
  const thisYearMissing = !calendar.isKnown(`${thisYear}-01-01`);
  const missingYear = thisYearMissing ? thisYear : nextYearMissing ? nextYear : null;
  return {
    today,
    nextYear,
    nextYearKnown,
    nextYearMissing,
    thisYearMissing,
    missingYear,
    notice: thisYearMissing ? calendarMissingNotice(thisYear, 'current', locale) : nextYearMissing ? calendarMissingNotice(nextYear, 'next', locale) : null,
  };
}

/** The line admins see: what is missing, which deadlines it affects, and what to run. */
export function calendarMissingNotice(year: number, which: 'next' | 'current' = 'next', locale: Locale = 'zh'): string {
  return t(locale, 'staff.calendar.missing', { year, affected: t(locale, `staff.calendar.${which}`, { year }) });
}
