import { dateInZone } from '../core/calendar/dates.js';
import type { WorkCalendar } from '../core/calendar/calendar.js';
import { calendarStatus, type CalendarStatus } from '../core/calendar/status.js';
import type { StaffPoster } from '../core/staff-post.js';
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
}): Promise<CalendarStatus> {
  const status = calendarStatus(deps.calendar, dateInZone(deps.now, deps.timeZone), deps.warnFrom);
  if (!status.notice) return status;
  deps.logger.warn({ nextYear: status.nextYear }, `calendar: the ${status.nextYear} holiday schedule is not known; deadlines reaching into it are estimated. Run "npm run cli -- calendar import NOTICE".`);
  if (deps.poster) await deps.poster.post({ text: `⚠️ ${status.notice}`, mentions: [...(deps.adminUserIds ?? [])] });
  return status;
}

/** For /healthz: whether next year's schedule is missing right now. */
export function calendarNextYearMissing(deps: { calendar: Pick<WorkCalendar, 'isKnown'>; timeZone: string; warnFrom: string; now?: () => Date }): () => boolean {
  return () => calendarStatus(deps.calendar, dateInZone((deps.now ?? (() => new Date()))(), deps.timeZone), deps.warnFrom).nextYearMissing;
}
