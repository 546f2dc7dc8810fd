import { dateInZone, daysBetween } from '../calendar/dates.js';
import { acceptanceNoticeDue, type DeadlineRules } from '../deadlines/index.js';
import '../i18n/staff.js';
import { t } from '../i18n/index.js';
import { formatLocalDateTime } from '../reports/local-time.js';
import type { Locale } from '../types.js';
import type { CaseRecord } from './types.js';

/**
 * The 信访 受理告知 line staff see on a case (Slack card, console `show`), in TIMEZONE; null for a type
 * without the notice. Recorded: when and how. Not recorded: the due date (receipt + 15 日, 第二十二条),
 * and how late it is. An answered or closed case needs none: its answer recorded the notice (apply-action.ts).
 */
export function acceptanceNoticeLine(
  record: CaseRecord,
  ctx: { rules: DeadlineRules; calendar: { isWorkingDay(date: string): boolean }; timeZone: string; locale: Locale; now: Date },
): string | null {
  const { locale, timeZone } = ctx;
  if (record.acceptanceNoticeAt) {
    const via = record.acceptanceNoticeVia ? t(locale, 'staff.via', { via: record.acceptanceNoticeVia }) : t(locale, 'staff.notice.doneBot');
    return t(locale, 'staff.notice.done', { at: formatLocalDateTime(record.acceptanceNoticeAt, timeZone), via });
  }
  const due = acceptanceNoticeDue(ctx.calendar, ctx.rules[record.type], record.receivedAt, timeZone);
  if (!due) return null;
  if (record.state === 'closed' || record.state === 'withdrawn' || record.state === 'returned') return null;
  const late = daysBetween(due, dateInZone(ctx.now, timeZone));
  return late > 0 ? t(locale, 'staff.notice.overdue', { due, days: late }) : t(locale, 'staff.notice.pending', { due });
}
