export { ratingText } from '../../core/cases/ratings.js';
import type { WorkCalendar } from '../../core/calendar/calendar.js';
import { dateInZone } from '../../core/calendar/dates.js';
import { consultationReplyLine } from '../../core/cases/clock-text.js';
import { identityForStaff } from '../../core/cases/identity.js';
import type { CaseEventRecord, CaseRecord } from '../../core/cases/types.js';
import { consultationReplyWindow, runningPauses } from '../../core/deadlines/index.js';
import { t } from '../../core/i18n/index.js';
import '../../core/i18n/staff.js';
import { maskPersonalData } from '../../core/privacy/mask.js';
import type { Locale } from '../../core/types.js';

/**
 * 政府信息公开申请 intake (第二十九条) and closing facts for `/case show`, in the staff's language. The values are the
 * stored ones: the applicant types, forms, ways and results are the Regulations' own Chinese terms.
 */
export function disclosureLines(record: CaseRecord, locale: Locale): string[] {
  const lines: string[] = [];
  if (record.type === 'disclosure' && (record.citizenName || record.applicantType))
    lines.push(t(locale, 'staff.console.applicant', {
      name: record.citizenName ?? t(locale, 'staff.console.nameMissing'),
      type: record.applicantType ?? t(locale, 'staff.console.applicantTypeMissing'),
    }));
  // 身份证明: masked here too (the console is a staff view; the number is never shown whole).
  if (record.type === 'disclosure' && (record.applicantIdType || record.applicantIdNumber))
    lines.push(t(locale, 'staff.console.identity', { id: identityForStaff(record.applicantIdType, record.applicantIdNumber) }));
  if (record.deliveryForm || record.deliveryMethod)
    lines.push(t(locale, 'staff.console.delivery', {
      form: record.deliveryForm ?? '-',
      method: record.deliveryMethod ?? '-',
      address: record.deliveryAddress ? t(locale, 'staff.console.deliveryAddress', { address: record.deliveryAddress }) : '',
    }));
  if (record.disclosureResult) lines.push(t(locale, 'staff.console.result', { result: record.disclosureResult }));
  if (record.duplicateOf) lines.push(t(locale, 'staff.console.duplicateOf', { code: record.duplicateOf }));
  return lines;
}

/**
 * The running disclosure clock pauses for `/case show`: a 补正 waiting for the applicant, a third-party
 * consultation with its reply date (第三十二条, 15 工作日) and, past it, how late the third party is.
 */
export function clockLines(
  record: CaseRecord,
  events: readonly CaseEventRecord[],
  view: { locale: Locale; timeZone: string; now: Date; calendar?: WorkCalendar },
): string[] {
  if (record.type !== 'disclosure' || record.state === 'closed' || record.state === 'withdrawn') return [];
  const { locale: l, timeZone } = view;
  const day = (iso: string | Date) => dateInZone(new Date(iso), timeZone);
  const { correction, consultation } = runningPauses(events);
  const lines: string[] = [];
  const note = (s: string | null) => maskPersonalData(s ?? '-');
  if (correction) lines.push(t(l, 'staff.clock.correctionWaiting', { date: day(correction.at), note: note(correction.note) }));
  if (consultation) {
    lines.push(t(l, 'staff.clock.consultation', { date: day(consultation.at), note: note(consultation.note) }));
    if (view.calendar) lines.push(consultationReplyLine(l, consultationReplyWindow(view.calendar, day(consultation.at), day(view.now))));
  }
  return lines;
}
