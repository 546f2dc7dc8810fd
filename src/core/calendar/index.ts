/**
 * Working-day calendar. Dates are `YYYY-MM-DD` strings in TIMEZONE.
 *
 * @example
 *   const cal = createWorkCalendar({ overrides: loadCalendarOverrides('rules/calendar-overrides.yaml') });
 *   cal.addWorkingDays('2026-02-10', 20); // '2026-03-16' (春节 skipped, 2月14日/28日 调休上班 counted)
 *
 * The module-level helpers use the package data only (no override file); the case desk and the CLI
 * build their own calendar with the overrides.
 */
import { createWorkCalendar, type WorkCalendar } from './calendar.js';
import type { IsoDate } from './dates.js';
import { loadCalendarOverrides } from './sources.js';

export { createWorkCalendar, type DayInfo, type DayKind, type WorkCalendar } from './calendar.js';
export { addDays, assertIsoDate, dateInZone, daysBetween, isIsoDate, weekday, yearOf, type IsoDate } from './dates.js';
export {
  DEFAULT_CALENDAR_OVERRIDES_PATH,
  calendarOverridesSchema,
  chineseDaysSource,
  loadCalendarOverrides,
  type CalendarOverrides,
  type CalendarSource,
  type DayRecord,
} from './sources.js';

/** chinese-days plus the override file (default rules/calendar-overrides.yaml): what the desk and the CLI use. */
export function loadWorkCalendar(overridesPath?: string): WorkCalendar {
  return createWorkCalendar({ overrides: loadCalendarOverrides(overridesPath) });
}

let shared: WorkCalendar | undefined;
/** The package-only calendar, built on first use. */
export function defaultCalendar(): WorkCalendar {
  return (shared ??= createWorkCalendar());
}

export const isWorkingDay = (date: IsoDate): boolean => defaultCalendar().isWorkingDay(date);
export const addWorkingDays = (from: IsoDate, n: number): IsoDate => defaultCalendar().addWorkingDays(from, n);
export const workingDaysBetween = (a: IsoDate, b: IsoDate): number => defaultCalendar().workingDaysBetween(a, b);
