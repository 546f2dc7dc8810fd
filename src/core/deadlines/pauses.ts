import { dateInZone, type IsoDate } from '../calendar/dates.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import type { CaseEventRecord } from '../cases/types.js';
import { computeDeadline, type DeadlineResult } from './compute.js';
import type { DeadlineRule } from './rules.js';

/**
 * Clock pauses the law provides for disclosure requests (《政府信息公开条例》):
 * - 第三十条 补正: after "要求补正" the clock stops; when the corrected application arrives it
 *   restarts FROM ZERO on that day (答复期限自收到补正的申请之日起计算).
 * - 第三十三条 征求第三方意见: the consultation time is not counted; the working days between its
 *   start and end are added to the deadline.
 * Built from the case's events, so the history is the single record of every pause.
 */
export type PauseKind = 'correction' | 'consultation';

export interface Pause {
  kind: PauseKind;
  from: IsoDate;
  /** null while still running. */
  to: IsoDate | null;
  note: string | null;
}

export interface CaseClock {
  /** The day counting starts after: receipt, or receipt of the last 补正. */
  start: IsoDate;
  pauses: Pause[];
  /** A pause is running: no deadline until it ends. */
  paused: PauseKind | null;
  /** Working days of finished consultations after `start`, added to the deadline. */
  consultedDays: number;
}

export const PAUSE_EVENT_KINDS = ['correction_requested', 'correction_received', 'consultation_started', 'consultation_ended'] as const;

export function caseClock(
  calendar: WorkCalendar,
  receivedOn: IsoDate,
  events: readonly Pick<CaseEventRecord, 'kind' | 'at' | 'note'>[],
  timeZone: string,
): CaseClock {
  const pauses: Pause[] = [];
  let start = receivedOn;
  const open = (kind: PauseKind) => [...pauses].reverse().find((p) => p.kind === kind && p.to === null);
  for (const e of events) {
    const day = dateInZone(new Date(e.at), timeZone);
    switch (e.kind) {
      case 'correction_requested':
        pauses.push({ kind: 'correction', from: day, to: null, note: e.note });
        break;
      case 'correction_received': {
        const p = open('correction');
        if (p) p.to = day;
        start = day;
        break;
      }
      case 'correction_undelivered': {
        // The 补正告知 never reached the applicant (第三十条 pauses only a notice given): the request is void.
        const p = open('correction');
        if (p) pauses.splice(pauses.indexOf(p), 1);
        break;
      }
      case 'consultation_started':
        pauses.push({ kind: 'consultation', from: day, to: null, note: e.note });
        break;
      case 'consultation_ended': {
        const p = open('consultation');
        if (p) p.to = day;
        break;
      }
      default:
        break;
    }
  }
  const running = pauses.find((p) => p.to === null);
  const consultedDays = pauses
    .filter((p) => p.kind === 'consultation' && p.to !== null && p.to > start)
    .reduce((sum, p) => sum + calendar.workingDaysBetween(p.from < start ? start : p.from, p.to!), 0);
  return { start, pauses, paused: running?.kind ?? null, consultedDays };
}

/** The deadline under the clock, or null while a pause runs. */
export function pausedDeadline(
  calendar: WorkCalendar,
  rule: DeadlineRule,
  clock: CaseClock,
  extended: boolean,
): DeadlineResult | null {
  if (clock.paused) return null;
  const base = computeDeadline(calendar, rule, clock.start, { extended });
  if (clock.consultedDays === 0) return base;
  const moved = computeDeadline(calendar, { ...rule, unit: 'working', length: base.units + clock.consultedDays, extension: 0 }, clock.start);
  return { ...moved, units: base.units };
}

export interface RunningPause {
  kind: PauseKind;
  at: string;
  note: string | null;
}

export interface RunningPauses {
  correction?: RunningPause;
  consultation?: RunningPause;
  /** When a 补正 was first asked for, answered or not: 第三十条 allows one (一次性告知). */
  correctionAskedAt?: string;
}

/** The pauses running now (their starting events), read from the events alone: no calendar needed. */
export function runningPauses(events: readonly Pick<CaseEventRecord, 'kind' | 'at' | 'note'>[]): RunningPauses {
  const open: RunningPauses = {};
  for (const e of events) {
    if (e.kind === 'correction_requested') {
      open.correction = { kind: 'correction', at: e.at, note: e.note };
      open.correctionAskedAt ??= e.at;
    } else if (e.kind === 'correction_received') delete open.correction;
    else if (e.kind === 'correction_undelivered') {
      // A request that never reached the applicant is void: it used up neither the pause nor the one 补正 allowed.
      if (open.correctionAskedAt === open.correction?.at) delete open.correctionAskedAt;
      delete open.correction;
    }
    else if (e.kind === 'consultation_started') open.consultation = { kind: 'consultation', at: e.at, note: e.note };
    else if (e.kind === 'consultation_ended') delete open.consultation;
  }
  return open;
}

/** 第三十二条: the consulted third party gives its opinion within 15 working days of receiving the request for it. */
export const CONSULTATION_REPLY_WORKING_DAYS = 15;

/**
 * The third party's reply window (《政府信息公开条例》第三十二条 "第三方应当自收到征求意见书之日起15个工作日内
 * 提出意见", 工作日 per §1 of the reference): counted from the day consultation started (the day the
 * letter goes out; its receipt date is not recorded). `overdueDays` are working days past `due` on
 * `today`; past it, the bureau decides on disclosure itself (第三十二条 "逾期未提出意见的，由行政机关…决定").
 */
export function consultationReplyWindow(
  calendar: Pick<WorkCalendar, 'addWorkingDays' | 'workingDaysBetween'> & { isKnown?(date: IsoDate): boolean },
  startedOn: IsoDate,
  today: IsoDate,
): { due: IsoDate; estimated: boolean; overdueDays: number } {
  const due = calendar.addWorkingDays(startedOn, CONSULTATION_REPLY_WORKING_DAYS);
  return { due, estimated: calendar.isKnown ? !calendar.isKnown(due) : false, overdueDays: calendar.workingDaysBetween(due, today) };
}

/** 第三十条: the 补正 notice must go out within this many working days of receiving the application. */
export const CORRECTION_NOTICE_WORKING_DAYS = 7;
