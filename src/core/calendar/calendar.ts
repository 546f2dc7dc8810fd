import { AppError } from '../errors.js';
import { addDays, assertIsoDate, isWeekend, yearOf, type IsoDate } from './dates.js';
import { statutoryHolidays } from './statutory.js';
import { chineseDaysSource, withOverrides, type CalendarOverrides, type CalendarSource } from './sources.js';

/**
 * China's official working-day calendar (工作日 with 调休).
 * - `holiday`: a statutory holiday or a weekday/weekend rest day of a holiday block (not a working day);
 * - `makeup`: a weekend 调休上班 day (a working day);
 * - `weekend` / `workday`: ordinary days.
 * A day in a year with no published schedule (`known: false`) is estimated: weekends plus the rest
 * days fixed by 《全国年节及纪念日放假办法》 (see statutory.ts), no 调休; whoever relies on it must mark
 * the result estimated.
 */
export type DayKind = 'workday' | 'makeup' | 'weekend' | 'holiday';

export interface DayInfo {
  date: IsoDate;
  working: boolean;
  kind: DayKind;
  name: string | null;
  known: boolean;
}

export interface WorkCalendar {
  readonly lastKnownYear: number;
  isKnown(date: IsoDate): boolean;
  describe(date: IsoDate): DayInfo;
  isWorkingDay(date: IsoDate): boolean;
  /** The n-th working day after `from` ("次日" convention: `from` itself never counts); n = 0 → `from`. */
  addWorkingDays(from: IsoDate, n: number): IsoDate;
  /** Working days in (a, b]: 0 when b ≤ a. `workingDaysBetween(a, addWorkingDays(a, n)) === n`. */
  workingDaysBetween(a: IsoDate, b: IsoDate): number;
  /** `date` when it is a working day, else the next working day. */
  onOrNextWorkingDay(date: IsoDate): IsoDate;
}

// A guard against a runaway loop on corrupt data: no real holiday block is this long.
const MAX_REST_RUN = 60;

function estimatedSpecial(date: IsoDate): { work: boolean; name: string } | undefined {
  const name = statutoryHolidays(yearOf(date)).get(date);
  return name ? { work: false, name } : undefined;
}

export function createWorkCalendar(options: { overrides?: CalendarOverrides; source?: CalendarSource } = {}): WorkCalendar {
  const source = withOverrides(options.source ?? chineseDaysSource(), options.overrides);
  const lastKnownYear = Math.max(...source.years);
  const isKnown = (date: IsoDate) => source.years.has(yearOf(date));

  const describe = (date: IsoDate): DayInfo => {
    assertIsoDate(date);
    const known = isKnown(date);
    // An unknown year is estimated, except for December days the next year's notice already fixed.
    const special = known ? source.special(date) : (source.carriedOver?.(date) ?? estimatedSpecial(date));
    const weekend = isWeekend(date);
    if (special) {
      const kind: DayKind = special.work ? (weekend ? 'makeup' : 'workday') : 'holiday';
      return { date, working: special.work, kind, name: special.name, known };
    }
    return { date, working: !weekend, kind: weekend ? 'weekend' : 'workday', name: null, known };
  };
  const isWorkingDay = (date: IsoDate) => describe(date).working;

  const onOrNextWorkingDay = (date: IsoDate): IsoDate => {
    let day = date;
    for (let i = 0; i <= MAX_REST_RUN; i++, day = addDays(day, 1)) if (isWorkingDay(day)) return day;
    throw new AppError('calendar_missing', `No working day within ${MAX_REST_RUN} days after ${date}: check the calendar data`);
  };

  const addWorkingDays = (from: IsoDate, n: number): IsoDate => {
    assertIsoDate(from);
    if (!Number.isInteger(n) || n < 0) throw new AppError('case_invalid', `Working days to add must be a whole number ≥ 0 (got ${n})`);
    let day = from;
    for (let counted = 0; counted < n; ) {
      day = onOrNextWorkingDay(addDays(day, 1));
      counted++;
    }
    return day;
  };

  const workingDaysBetween = (a: IsoDate, b: IsoDate): number => {
    assertIsoDate(a);
    assertIsoDate(b);
    let count = 0;
    for (let day = addDays(a, 1); day <= b; day = addDays(day, 1)) if (isWorkingDay(day)) count++;
    return count;
  };

  return { lastKnownYear, isKnown, describe, isWorkingDay, addWorkingDays, workingDaysBetween, onOrNextWorkingDay };
}
