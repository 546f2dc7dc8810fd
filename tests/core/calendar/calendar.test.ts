import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addWorkingDays,
  chineseDaysSource,
  createWorkCalendar,
  isWorkingDay,
  loadCalendarOverrides,
  workingDaysBetween,
} from '../../../src/core/calendar/index.js';
import { statutoryHolidays } from '../../../src/core/calendar/statutory.js';
import { calendarStatus } from '../../../src/core/calendar/status.js';
import type { CalendarSource } from '../../../src/core/calendar/sources.js';

// government-rules.md §6.2: the 2026 schedule (国务院办公厅 2025年11月4日).
const WEEKDAY_REST_2026 = ['01-01', '01-02', '02-16', '02-17', '02-18', '02-19', '02-20', '02-23', '04-06', '05-01', '05-04', '05-05', '06-19', '09-25', '10-01', '10-02', '10-05', '10-06', '10-07'];
const WEEKEND_WORK_2026 = ['01-04', '02-14', '02-28', '05-09', '09-20', '10-10'];

function daysOf(year: number): string[] {
  const out: string[] = [];
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) out.push(d);
  return out;
}

describe('working-day calendar (chinese-days, 2026)', () => {
  const cal = createWorkCalendar();

  it('has 248 working days in 2026 with exactly the notice\'s weekday rest days and weekend working days', () => {
    const days = daysOf(2026);
    expect(days.filter((d) => cal.isWorkingDay(d))).toHaveLength(248);
    const weekend = (d: string) => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
    expect(days.filter((d) => !weekend(d) && !cal.isWorkingDay(d)).map((d) => d.slice(5))).toEqual(WEEKDAY_REST_2026);
    expect(days.filter((d) => weekend(d) && cal.isWorkingDay(d)).map((d) => d.slice(5))).toEqual(WEEKEND_WORK_2026);
    expect(workingDaysBetween('2025-12-31', '2026-12-31')).toBe(248);
  });

  it('names holidays and 调休 make-up days', () => {
    expect(cal.describe('2026-02-14')).toEqual({ date: '2026-02-14', working: true, kind: 'makeup', name: '春节', known: true });
    expect(cal.describe('2026-02-21')).toEqual({ date: '2026-02-21', working: false, kind: 'holiday', name: '春节', known: true });
    expect(cal.describe('2026-10-10')).toMatchObject({ working: true, kind: 'makeup' });
    expect(cal.describe('2026-03-07')).toEqual({ date: '2026-03-07', working: false, kind: 'weekend', name: null, known: true });
  });

  it('counts working days from the next day across the Spring Festival (§6.4 worked examples)', () => {
    expect(addWorkingDays('2026-02-10', 7)).toBe('2026-02-26'); // 补正 notice
    expect(addWorkingDays('2026-02-10', 20)).toBe('2026-03-16');
    expect(addWorkingDays('2026-02-13', 1)).toBe('2026-02-14'); // Saturday make-up day counts
    expect(addWorkingDays('2026-02-14', 1)).toBe('2026-02-24');
  });

  it('counts across National Day with both make-up days', () => {
    expect(addWorkingDays('2026-09-30', 20)).toBe('2026-11-03');
    expect(addWorkingDays('2026-09-18', 1)).toBe('2026-09-20'); // Sunday 9月20日 is a working day
    expect(addWorkingDays('2026-09-28', 5)).toBe('2026-10-10'); // 9-29, 9-30, 10-8, 10-9, 10-10 (Saturday)
    expect(isWorkingDay('2026-10-05')).toBe(false);
  });

  it('counts across the 2025/2026 year end (元旦 and the Sunday 1月4日 make-up day)', () => {
    expect(addWorkingDays('2025-12-30', 1)).toBe('2025-12-31');
    expect(addWorkingDays('2025-12-30', 2)).toBe('2026-01-04');
    expect(addWorkingDays('2025-12-30', 3)).toBe('2026-01-05');
    expect(workingDaysBetween('2025-12-30', '2026-01-05')).toBe(3);
  });

  it('adds n working days such that workingDaysBetween gives n back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 360 }), fc.integer({ min: 0, max: 40 }), (offset, n) => {
        const from = addDays('2025-06-01', offset);
        const to = cal.addWorkingDays(from, n);
        return cal.workingDaysBetween(from, to) === n && (n === 0 || cal.isWorkingDay(to));
      }),
      { numRuns: 200 },
    );
  });

  it('marks a year without a published schedule as unknown and estimates it from the statutory holidays', () => {
    const upTo2026 = createWorkCalendar({ source: { years: new Set([...chineseDaysSource().years].filter((y) => y <= 2026)), special: chineseDaysSource().special } });
    expect(upTo2026.lastKnownYear).toBe(2026);
    expect(upTo2026.describe('2027-01-01')).toEqual({ date: '2027-01-01', working: false, kind: 'holiday', name: '元旦', known: false });
    expect(upTo2026.describe('2027-01-04')).toEqual({ date: '2027-01-04', working: true, kind: 'workday', name: null, known: false });
    expect(upTo2026.describe('2027-02-08')).toMatchObject({ working: false, kind: 'holiday', name: '春节', known: false }); // 正月初三
    expect(upTo2026.isKnown('2026-12-31')).toBe(true);
  });

  it('rejects a malformed date with a message naming it', () => {
    expect(() => cal.isWorkingDay('2026-2-30')).toThrow('date must be a date written YYYY-MM-DD, e.g. 2026-02-10 (got "2026-2-30")');
  });
});

describe('statutory rest days (全国年节及纪念日放假办法, 2025 amendment)', () => {
  it('computes the 13 days of 2027 from the lunar calendar and the 清明 solar term', () => {
    expect([...statutoryHolidays(2027)].sort()).toEqual([
      ['2027-01-01', '元旦'],
      ['2027-02-05', '春节'], // 除夕
      ['2027-02-06', '春节'],
      ['2027-02-07', '春节'],
      ['2027-02-08', '春节'], // 正月初三
      ['2027-04-05', '清明节'],
      ['2027-05-01', '劳动节'],
      ['2027-05-02', '劳动节'],
      ['2027-06-09', '端午节'],
      ['2027-09-15', '中秋节'],
      ['2027-10-01', '国庆节'],
      ['2027-10-02', '国庆节'],
      ['2027-10-03', '国庆节'],
    ]);
  });

  it('gives only days the State Council made rest days in 2025 and 2026 (the years under the amended law)', () => {
    const cal = createWorkCalendar();
    for (const year of [2025, 2026]) {
      const days = [...statutoryHolidays(year).keys()];
      expect(days).toHaveLength(13);
      expect(days.filter((d) => cal.describe(d).kind !== 'holiday')).toEqual([]);
    }
  });

  it('counts a 中秋节 that falls within 国庆节 once (2028-10-03)', () => {
    expect(statutoryHolidays(2028).size).toBe(12);
    expect(statutoryHolidays(2028).get('2028-10-03')).toBeDefined();
  });
});

describe('calendar overrides (rules/calendar-overrides.yaml)', () => {
  const write = (text: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'civicdesk-cal-')), 'overrides.yaml');
    writeFileSync(path, text);
    return path;
  };

  it('adds a year the package lacks and makes it known', () => {
    const path = write(`years:
  "2027":
    source: 测试用通知
    holidays:
      - { date: "2027-01-01", name: 元旦 }
    workdays:
      - { date: "2027-01-02", name: 元旦 }
`);
    const cal = createWorkCalendar({ overrides: loadCalendarOverrides(path) });
    expect(cal.lastKnownYear).toBe(2027);
    expect(cal.describe('2027-01-01')).toEqual({ date: '2027-01-01', working: false, kind: 'holiday', name: '元旦', known: true });
    expect(cal.describe('2027-01-02')).toMatchObject({ working: true, kind: 'makeup' });
    expect(cal.addWorkingDays('2026-12-31', 1)).toBe('2027-01-02');
  });

  it('reports every problem of a bad file at once', () => {
    const path = write(`years:
  "2027":
    holidays:
      - { date: "2027-13-01", name: 元旦 }
`);
    expect(() => loadCalendarOverrides(path)).toThrow(
      `${path}: years.2027.source: Invalid input: expected string, received undefined\n${path}: years.2027.holidays.0.date: must be a date written YYYY-MM-DD`,
    );
  });

  it('rejects a date filed under the wrong year', () => {
    const path = write('years:\n  "2027":\n    source: x\n    holidays: [{ date: "2028-01-01", name: 元旦 }, { date: "2026-11-30", name: 元旦 }]\n');
    expect(() => loadCalendarOverrides(path)).toThrow(
      `${path}: years.2027: 2028-01-01, 2026-11-30 not in 2027 (nor in December 2026, which the 2027 notice may fix)`,
    );
  });

  it('a December day fixed by the next year\'s notice counts, without making its own year known', () => {
    const path = write('years:\n  "2027":\n    source: x\n    workdays: [{ date: "2026-12-26", name: 元旦 }]\n');
    const overrides = loadCalendarOverrides(path);
    // 2026 from the package: the carried day replaces the package's ordinary Saturday.
    const cal = createWorkCalendar({ overrides });
    expect(cal.describe('2026-12-26')).toEqual({ date: '2026-12-26', working: true, kind: 'makeup', name: '元旦', known: true });
    expect(cal.describe('2026-12-27')).toMatchObject({ working: false, kind: 'weekend' });
    // 2026 not known at all (a source that stops at 2025): still estimated, but the fixed day is official.
    const upTo2025: CalendarSource = { years: new Set([2025]), special: () => undefined };
    const estimated = createWorkCalendar({ overrides, source: upTo2025 });
    expect(estimated.isKnown('2026-12-26')).toBe(false);
    expect(estimated.describe('2026-12-26')).toEqual({ date: '2026-12-26', working: true, kind: 'makeup', name: '元旦', known: false });
    expect(estimated.addWorkingDays('2026-12-24', 2)).toBe('2026-12-26');
  });

  it('the shipped override file is valid', () => {
    expect(() => loadCalendarOverrides()).not.toThrow();
  });
});

describe('next year\'s calendar (checked by the running system, over injected dates)', () => {
  // A calendar that knows 2020–2026 only, whatever chinese-days version is installed.
  const upTo2026 = createWorkCalendar({ source: { years: new Set([2020, 2021, 2022, 2023, 2024, 2025, 2026]), special: () => undefined } });

  it('says nothing on 30 November even though next year is missing', () => {
    expect(calendarStatus(upTo2026, '2026-11-30')).toEqual({
      today: '2026-11-30',
      nextYear: 2027,
      nextYearKnown: false,
      nextYearMissing: false,
      thisYearMissing: false,
      missingYear: null,
      notice: null,
    });
  });

  it("announces a missing current year on every day of it (the year turned before the schedule was imported)", () => {
    for (const today of ['2027-01-01', '2027-06-05', '2027-11-30']) {
      const status = calendarStatus(upTo2026, today);
      expect(status).toMatchObject({ thisYearMissing: true, missingYear: 2027 });
      expect(status.notice).toContain('2027年放假安排尚未导入：现在计算的办理期限全部按法定节假日估算');
    }
    // Both missing in December: this year's gap is the one announced (it affects every deadline).
    expect(calendarStatus(upTo2026, '2027-12-15')).toMatchObject({ thisYearMissing: true, nextYearMissing: true, missingYear: 2027 });
  });

  it('announces a missing next year from 1 December to 31 December', () => {
    for (const today of ['2026-12-01', '2026-12-31']) {
      const status = calendarStatus(upTo2026, today);
      expect(status.nextYearMissing).toBe(true);
      expect(status.notice).toContain('2027年放假安排尚未导入');
      expect(status.notice).toContain('calendar import');
    }
  });

  it('says it in English for STAFF_LOCALE=en, keeping the command to run', () => {
    const status = calendarStatus(upTo2026, '2026-12-01', '12-01', 'en');
    expect(status.notice).toBe(
      'The 2027 holiday schedule is not imported: deadlines reaching into 2027 are estimated from the public holidays alone (no swapped working days). Once the State Council\'s notice is published, run `npm run cli -- calendar import NOTICE_FILE`',
    );
  });

  it('is quiet once next year is known (29 February of a leap year, and 1 December 2025)', () => {
    expect(calendarStatus(upTo2026, '2024-02-29')).toMatchObject({ nextYear: 2025, nextYearKnown: true, nextYearMissing: false });
    expect(calendarStatus(upTo2026, '2025-12-01')).toMatchObject({ nextYear: 2026, nextYearMissing: false, notice: null });
  });

  it('honours a configured start day', () => {
    expect(calendarStatus(upTo2026, '2026-11-15', '11-15').nextYearMissing).toBe(true);
    expect(calendarStatus(upTo2026, '2026-11-14', '11-15').nextYearMissing).toBe(false);
    expect(() => calendarStatus(upTo2026, '2026-11-14', '1115')).toThrow('warnFrom must be written MM-DD');
  });
});
