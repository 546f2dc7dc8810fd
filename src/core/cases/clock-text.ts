import { t } from '../i18n/index.js';
import '../i18n/staff.js';
import type { Locale } from '../types.js';

/**
 * The third party's reply window (第三十二条) as staff read it in the console and in Slack: the date
 * it is due by, or how many working days past it the third party is.
 */
export function consultationReplyLine(locale: Locale, w: { due: string; estimated: boolean; overdueDays: number }): string {
  const estimated = w.estimated ? t(locale, 'staff.clock.estimated') : '';
  return w.overdueDays > 0
    ? t(locale, 'staff.clock.consultationOverdue', { due: w.due, estimated, days: w.overdueDays })
    : t(locale, 'staff.clock.consultationDue', { due: w.due, estimated });
}
