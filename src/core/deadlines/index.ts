import { addDays, dateInZone, type IsoDate } from '../calendar/dates.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import { computeDeadline, type DeadlineResult } from './compute.js';
import type { DeadlineRule } from './rules.js';

export { computeDeadline, type DeadlineResult, type DeadlineStep } from './compute.js';
export { explainDeadline } from './explain.js';
export {
  caseClock, consultationReplyWindow, CONSULTATION_REPLY_WORKING_DAYS, CORRECTION_NOTICE_WORKING_DAYS, type RunningPause, pausedDeadline, PAUSE_EVENT_KINDS, runningPauses, type CaseClock, type RunningPauses, type Pause, type PauseKind,
} from './pauses.js';
export {
  DEFAULT_DEADLINE_RULES_PATH,
  deadlineRuleSchema,
  deadlineRulesSchema,
  loadDeadlineRules,
  parseDeadlineRules,
  ruleInForce,
  type DeadlineRule,
  type DeadlineRules,
} from './rules.js';

/** The day a case's clock starts: receipt, or 签收 for `clockStart: claimed` (receipt until claimed). */
export function clockStartDate(
  rule: DeadlineRule,
  times: { receivedAt: string; claimedAt: string | null },
  timeZone: string,
): IsoDate {
  const at = rule.clockStart === 'claimed' && times.claimedAt ? times.claimedAt : times.receivedAt;
  return dateInZone(new Date(at), timeZone);
}

/** Deadline for a case as stored: start per the rule, plus the extension when it was granted. */
export function caseDeadline(
  calendar: WorkCalendar,
  rule: DeadlineRule,
  times: { receivedAt: string; claimedAt: string | null; extended: boolean },
  timeZone: string,
): DeadlineResult {
  return computeDeadline(calendar, rule, clockStartDate(rule, times, timeZone), { extended: times.extended });
}

/**
 * The 信访 受理告知 due date (《信访条例》第二十二条): receipt + the rule's `acceptanceNotice.length` calendar
 * days, counted like the other 信访 limits (computeDeadline's calendar unit: 次日 convention, an end on a rest
 * day moves to the next working day). Null for a type without the notice (disclosure requests, 12345 types).
 * Needs only isWorkingDay, so the jobs' calendar serves too.
 */
export function acceptanceNoticeDue(
  calendar: { isWorkingDay(date: string): boolean },
  rule: DeadlineRule,
  receivedAt: string,
  timeZone: string,
): IsoDate | null {
  if (!rule.acceptanceNotice) return null;
  return calendarDaysLimit(calendar, dateInZone(new Date(receivedAt), timeZone), rule.acceptanceNotice.length);
}

/**
 * The last day of a limit of `days` calendar days (日) from `from` (the day it counts from, not counted: 次日
 * convention), moved to the next working day when it falls on a rest day (民法典 第二百零三条). The 信访 受理告知
 * and the 复查 / 复核 request limits use it.
 */
export function calendarDaysLimit(calendar: { isWorkingDay(date: string): boolean }, from: IsoDate, days: number): IsoDate {
  let day = addDays(from, days);
  for (let i = 0; i < 60 && !calendar.isWorkingDay(day); i++) day = addDays(day, 1);
  return day;
}
