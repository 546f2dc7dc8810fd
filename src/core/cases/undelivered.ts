import '../i18n/staff.js';
import { t } from '../i18n/index.js';
import type { Locale } from '../types.js';
import type { CaseEventRecord, CaseRecord } from './types.js';

/**
 * What staff read when a message to the citizen did not arrive on a case past 联系不上 (desk.recordUndelivered):
 * the reason, and the other way to reach them — a phone number on the case (shown whole only in the audited
 * `/case CODE` detail), or none, in which case the answer waits for their next contact.
 */
export function undeliveredHow(code: string, hasPhone: boolean, locale: Locale): string {
  return hasPhone ? t(locale, 'staff.undelivered.call', { code }) : t(locale, 'staff.undelivered.noContact');
}

/** The thread / console line of an `undelivered` event. */
export function undeliveredLine(record: Pick<CaseRecord, 'code' | 'contact'>, event: Pick<CaseEventRecord, 'note'>, locale: Locale): string {
  return t(locale, 'staff.undelivered.line', { reason: event.note ?? '-', how: undeliveredHow(record.code, Boolean(record.contact), locale) });
}

/** The case card's warning: the case is flagged (`unreachable`) but its state is not 联系不上. */
export function undeliveredFlag(record: Pick<CaseRecord, 'code' | 'contact' | 'unreachable' | 'state'>, locale: Locale): string | null {
  if (!record.unreachable || record.state === 'unreachable') return null;
  return t(locale, 'staff.undelivered.flag', { how: undeliveredHow(record.code, Boolean(record.contact), locale) });
}
