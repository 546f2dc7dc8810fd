import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { isIsoDate, type IsoDate } from './dates.js';
import { projectPath } from '../../project-root.js';

/**
 * Where the official working-day calendar comes from:
 * - the pinned `chinese-days` package (State Council notices, 2004 to its last year; `isWorkday` handles 调休);
 * - `rules/calendar-overrides.yaml` for a year the package lacks (or gets wrong). A year listed there
 *   replaces the package's data for that whole year. The notice for year N may also fix days in
 *   December of N-1 (the 2019 notice: 2018-12-29 上班); they are kept under year N, with the notice
 *   that set them, and win over whatever the package or year N-1's entry says about those days
 *   (holiday-cn: "12 月份的日期可能会被下一年的文件影响"). They do not make year N-1 known.
 */
export interface DayRecord {
  /** true = a working day; false = a rest day (holiday or weekend). */
  work: boolean;
  /** Holiday name (e.g. 春节), for holidays and 调休 make-up working days; null on ordinary days. */
  name: string | null;
}

export interface CalendarSource {
  /** Years whose official schedule is known. */
  years: ReadonlySet<number>;
  /** Special days only (holidays, 调休 working days); ordinary days are absent. */
  special(date: IsoDate): DayRecord | undefined;
  /**
   * A December day fixed by the next year's notice, for a year whose own schedule is not known:
   * the day is official even though the rest of its year is still estimated.
   */
  carriedOver?(date: IsoDate): DayRecord | undefined;
}

/** Whether `date` may be listed under override year `year`: its own days, or December of the year before. */
export function belongsToNotice(date: string, year: number): boolean {
  return date.startsWith(`${year}-`) || date.startsWith(`${year - 1}-12-`);
}

interface ChineseDaysApi {
  isWorkday(date: string): boolean;
  getDayDetail(date: string): { work: boolean; name: string; date: string };
}
interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

let packageSource: CalendarSource | undefined;

/** The `chinese-days` data, loaded on first use. Names come as "Spring Festival,春节,4". */
export function chineseDaysSource(): CalendarSource {
  if (packageSource) return packageSource;
  const require = createRequire(import.meta.url);
  const api = require('chinese-days') as ChineseDaysApi;
  const data = require('chinese-days/dist/chinese-days.json') as ChineseDaysData;
  const years = new Set<number>(Object.keys(data.holidays).map((d) => Number(d.slice(0, 4))));
  const isSpecial = (date: string) => date in data.holidays || date in data.workdays;
  packageSource = {
    years,
    special(date) {
      if (!isSpecial(date)) return undefined;
      const detail = api.getDayDetail(date);
      return { work: api.isWorkday(date), name: detail.name.split(',')[1] ?? detail.name };
    },
  };
  return packageSource;
}

/** rules/calendar-overrides.yaml in this checkout. */
export const DEFAULT_CALENDAR_OVERRIDES_PATH = projectPath('rules', 'calendar-overrides.yaml');

const dayList = z.array(
  z.object({
    date: z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD'),
    name: z.string().min(1),
  }),
);

export const calendarOverridesSchema = z.object({
  years: z
    .record(
      z.string().regex(/^\d{4}$/, 'year keys must be four digits, e.g. 2027'),
      z.object({
        source: z.string().min(1, 'name the State Council notice (国办发明电〔…〕N号) the dates come from'),
        holidays: dayList.default([]),
        workdays: dayList.default([]),
      }),
    )
    .default({}),
});
export type CalendarOverrides = z.infer<typeof calendarOverridesSchema>;

/** Reads and validates rules/calendar-overrides.yaml; every problem is reported at once. */
export function loadCalendarOverrides(path: string = DEFAULT_CALENDAR_OVERRIDES_PATH): CalendarOverrides {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8')) ?? {};
  } catch (error) {
    throw new AppError('rules_invalid', `${path}: cannot read calendar overrides: ${(error as Error).message}`, { cause: error });
  }
  const result = calendarOverridesSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${path}: ${i.path.join('.')}: ${i.message}`);
    throw new AppError('rules_invalid', lines.join('\n'), { details: lines });
  }
  for (const [year, entry] of Object.entries(result.data.years)) {
    const stray = [...entry.holidays, ...entry.workdays].filter((d) => !belongsToNotice(d.date, Number(year)));
    if (stray.length > 0)
      throw new AppError(
        'rules_invalid',
        `${path}: years.${year}: ${stray.map((d) => d.date).join(', ')} not in ${year} (nor in December ${Number(year) - 1}, which the ${year} notice may fix)`,
      );
  }
  return result.data;
}

/** Package data with override years laid on top. */
export function withOverrides(base: CalendarSource, overrides: CalendarOverrides | undefined): CalendarSource {
  if (!overrides || Object.keys(overrides.years).length === 0) return base;
  const days = new Map<string, DayRecord>();
  // December days set by the next year's notice: they replace the package's (or that year's entry's) record.
  const carried = new Map<string, DayRecord>();
  for (const [year, entry] of Object.entries(overrides.years)) {
    const put = (date: string, record: DayRecord) => (date.startsWith(`${year}-`) ? days : carried).set(date, record);
    for (const d of entry.holidays) put(d.date, { work: false, name: d.name });
    for (const d of entry.workdays) put(d.date, { work: true, name: d.name });
  }
  const overridden = new Set(Object.keys(overrides.years).map(Number));
  return {
    years: new Set([...base.years, ...overridden]),
    special(date) {
      return carried.get(date) ?? (overridden.has(Number(date.slice(0, 4))) ? days.get(date) : base.special(date));
    },
    carriedOver(date) {
      return carried.get(date);
    },
  };
}
