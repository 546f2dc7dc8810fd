import { addDays, dateInZone } from '../calendar/index.js';
import type { WorkingDays } from './types.js';

/**
 * When staff will answer: today before closing time when it is a working day
 * within office hours, else the opening time of the next working morning.
 *
 * @example answerWindow(new Date('2026-11-27T12:00:00Z'), '08:30-17:00', 'Asia/Shanghai', cal)
 *   // { today: false, date: '2026-11-30', start: '08:30', end: '17:00' } (Friday 20:00 in Beijing)
 */
export function answerWindow(
  now: Date,
  officeHours: string,
  timeZone: string,
  calendar: WorkingDays,
): { today: boolean; date: string; start: string; end: string } {
  const [start = '08:30', end = '17:00'] = officeHours.split('-');
  const today = dateInZone(now, timeZone);
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
  if (calendar.isWorkingDay(today) && clock >= start && clock < end) return { today: true, date: today, start, end };
  let day = calendar.isWorkingDay(today) && clock < start ? today : addDays(today, 1);
  for (let i = 0; i < 60 && !calendar.isWorkingDay(day); i++) day = addDays(day, 1);
  return { today: false, date: day, start, end };
}
