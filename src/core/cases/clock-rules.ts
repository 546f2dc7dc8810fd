import type { WorkCalendar } from '../calendar/calendar.js';
import { dateInZone, isIsoDate } from '../calendar/dates.js';
import { CORRECTION_NOTICE_WORKING_DAYS, PAUSE_EVENT_KINDS, type CaseClock } from '../deadlines/index.js';
import { caseError } from '../i18n/errors-text.js';
import type { CaseRecord } from './types.js';

export type ClockStep = (typeof PAUSE_EVENT_KINDS)[number];

/**
 * Refuses a disclosure clock step the law does not allow, with a coded error staff can act on:
 * - 《政府信息公开条例》第三十条: 补正 is asked for once ("一次性告知"), listing everything, and within
 *   7 working days of receipt; a second 补正, answered or not, is refused;
 * - a step that ends a pause needs that pause running; a consultation is not started twice.
 */
export function checkClockStep(
  record: CaseRecord,
  kind: ClockStep,
  clock: CaseClock,
  at: Date,
  calendar: WorkCalendar,
  timeZone: string,
  /** The day the step happened, when recorded later (correction_received only). */
  on?: string,
): void {
  const code = record.code;
  if (record.type !== 'disclosure') throw caseError('case_illegal_transition', 'clockDisclosureOnly', { code, type: record.type });
  if (record.state === 'closed' || record.state === 'withdrawn') throw caseError('case_illegal_transition', 'clockFinal', { code, state: record.state });
  const last = (k: string) => clock.pauses.filter((p) => p.kind === k).at(-1);
  const correction = last('correction');
  const consultation = last('consultation');
  switch (kind) {
    case 'correction_requested': {
      if (correction)
        throw caseError('case_illegal_transition', correction.to === null ? 'correctionWaiting' : 'correctionOnce', { code, date: correction.from });
      const received = dateInZone(new Date(record.receivedAt), timeZone);
      const elapsed = calendar.workingDaysBetween(received, dateInZone(at, timeZone));
      if (elapsed > CORRECTION_NOTICE_WORKING_DAYS)
        throw caseError('case_illegal_transition', 'correctionTooLate', { code, received, elapsed, limit: CORRECTION_NOTICE_WORKING_DAYS });
      return;
    }
    case 'correction_received': {
      if (correction?.to !== null || !correction) throw caseError('case_illegal_transition', 'correctionNotAsked', { code });
      if (on === undefined) return;
      const today = dateInZone(at, timeZone);
      if (!isIsoDate(on)) throw caseError('case_invalid', 'correctionReceivedDate', { code, value: on.slice(0, 20) });
      if (on > today) throw caseError('case_invalid', 'correctionReceivedFuture', { code, value: on, today });
      if (on < correction.from) throw caseError('case_invalid', 'correctionReceivedEarly', { code, value: on, asked: correction.from });
      return;
    }
    case 'consultation_started':
      if (consultation && consultation.to === null) throw caseError('case_illegal_transition', 'consultationRunning', { code });
      return;
    case 'consultation_ended':
      if (!consultation || consultation.to !== null) throw caseError('case_illegal_transition', 'consultationNotRunning', { code });
      return;
  }
}

/** A 补正 must say what is missing; a consultation must name who is consulted. */
export function checkClockNote(kind: ClockStep, note: string | null): void {
  if (kind === 'correction_requested' && !note?.trim()) throw caseError('case_invalid', 'correctionEmpty', {});
  if (kind === 'consultation_started' && !note?.trim()) throw caseError('case_invalid', 'consultationEmpty', {});
}
