import { addDays, type IsoDate } from '../calendar/dates.js';
import type { DayKind, WorkCalendar } from '../calendar/calendar.js';
import type { DeadlineRule } from './rules.js';

/** One day looked at while counting, for `deadline explain`. */
export interface DeadlineStep {
  date: IsoDate;
  kind: DayKind;
  name: string | null;
  known: boolean;
  /** 1-based position among counted days, or null for a skipped day. */
  count: number | null;
}

export interface DeadlineResult {
  start: IsoDate;
  unit: DeadlineRule['unit'];
  units: number;
  deadlineOn: IsoDate;
  /** Some day the result depends on lies in a year with no published schedule (statutory estimate used). */
  estimated: boolean;
  steps: DeadlineStep[];
  /** Calendar-day rules: the raw end date when it fell on a rest day and moved (民法典 第二百零三条). */
  movedFrom: IsoDate | null;
}

/**
 * The last day to answer, counting from the day AFTER `start` ("次日" convention, 民法典 第二百零一条).
 * Working-day rules count only working days (调休上班 days count, holidays and weekends do not).
 * Calendar-day rules count every day; an end on a rest day moves to the next working day.
 * With `extended`, the rule's one extension is added to the length.
 *
 * @example computeDeadline(cal, rules.disclosure, '2026-02-10').deadlineOn // '2026-03-16'
 */
export function computeDeadline(
  calendar: WorkCalendar,
  rule: DeadlineRule,
  start: IsoDate,
  options: { extended?: boolean } = {},
): DeadlineResult {
  const units = rule.length + (options.extended ? rule.extension : 0);
  const steps: DeadlineStep[] = [];
  const step = (date: IsoDate, count: number | null) => {
    const info = calendar.describe(date);
    steps.push({ date, kind: info.kind, name: info.name, known: info.known, count });
    return info;
  };
  let deadlineOn: IsoDate;
  let movedFrom: IsoDate | null = null;
  if (rule.unit === 'working') {
    let day = start;
    for (let counted = 0; counted < units; ) {
      day = addDays(day, 1);
      const info = calendar.describe(day);
      if (info.working) counted++;
      steps.push({ date: day, kind: info.kind, name: info.name, known: info.known, count: info.working ? counted : null });
    }
    deadlineOn = day;
  } else {
    const rawEnd = addDays(start, units);
    let day = rawEnd;
    while (!step(day, day === rawEnd ? units : null).working) day = addDays(day, 1);
    if (day !== rawEnd) movedFrom = rawEnd;
    deadlineOn = day;
  }
  const estimated = steps.some((s) => !s.known);
  return { start, unit: rule.unit, units, deadlineOn, estimated, steps, movedFrom };
}
