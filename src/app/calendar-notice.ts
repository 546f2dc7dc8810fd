import { dateInZone } from '../core/calendar/dates.js';
import type { WorkCalendar } from '../core/calendar/calendar.js';
import { calendarStatus, type CalendarStatus } from '../core/calendar/status.js';
import type { StaffPoster } from '../core/staff-post.js';
import type { Locale } from '../core/types.js';
import type { Logger } from '../logger.js';

/**
 * At start-up: when next year's holiday schedule is missing (CALENDAR_WARN_FROM on), log one warning
 * and, with Slack on, post one notice to the staff channel mentioning the admins. Silent otherwise.
 * Returns the status so the caller can reuse it.
 */
export async function announceCalendarAtStart(deps: {
  calendar: Pick<WorkCalendar, 'isKnown'>;
  now: Date;
  timeZone: string;
  warnFrom: string;
  logger: Pick<Logger, 'warn'>;
  poster?: StaffPoster | null;
  adminUserIds?: readonly string[];
  /** STAFF_LOCALE: the language of the notice posted to the staff channel (default zh). */
  locale?: Locale;
}): Promise<CalendarStatus> {
  const status = calendarStatus(deps.calendar, dateInZone(deps.now, deps.timeZone), deps.warnFrom, deps.locale);
  if (!status.notice) return status;
  const scope = status.thisYearMissing ? 'every deadline counted now is estimated' : 'deadlines reaching into it are estimated';
  deps.logger.warn({ missingYear: status.missingYear }, `calendar: the ${status.missingYear} holiday schedule is not known; ${scope}. Run "npm run cli -- calendar import NOTICE".`);
  if (deps.poster) await deps.poster.post({ text: `⚠️ ${status.notice}`, mentions: [...(deps.adminUserIds ?? [])] });
  return status;
}

/** For /healthz: which schedule is missing right now ('this year' / 'next year' not published), null when none. */
export function calendarGap(deps: { calendar: Pick<WorkCalendar, 'isKnown'>; timeZone: string; warnFrom: string; now?: () => Date }): () => CalendarGap {
  return () => gapOf(calendarStatus(deps.calendar, dateInZone((deps.now ?? (() => new Date()))(), deps.timeZone), deps.warnFrom));
}

export type CalendarGap = 'this year not published' | 'next year not published' | null;

export function gapOf(status: Pick<CalendarStatus, 'thisYearMissing' | 'nextYearMissing'>): CalendarGap {
  return status.thisYearMissing ? 'this year not published' : status.nextYearMissing ? 'next year not published' : null;
}
