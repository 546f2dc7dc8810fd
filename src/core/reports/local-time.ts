/**
 * Wall-clock helpers for TIMEZONE: the core stores instants in UTC and dates
 * (deadlines, publication dates) as YYYY-MM-DD local strings.
 */
export interface LocalParts {
  date: string; // YYYY-MM-DD
  month: string; // YYYY-MM
  hour: number;
  minute: number;
  weekday: number; // 0 = Sunday
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function localParts(instant: Date, tz: string): LocalParts & { second: number } {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(instant)) parts[p.type] = p.value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return {
    date,
    month: date.slice(0, 7),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
  };
}

/** Minutes to add to UTC to get local time at `instant` (Asia/Shanghai: 480). */
export function offsetMinutes(instant: Date, tz: string): number {
  const p = localParts(instant, tz);
  const [y, m, d] = p.date.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/** The UTC instant of local midnight starting `date` in `tz`. */
export function startOfLocalDay(date: string, tz: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  let result = guess - offsetMinutes(new Date(guess), tz) * 60000;
  result = guess - offsetMinutes(new Date(result), tz) * 60000;
  return new Date(result);
}

/** Calendar arithmetic on YYYY-MM-DD (no working-day logic). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** First day of the month `n` months after `month` (YYYY-MM), as YYYY-MM. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + n;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** An instant as staff read it: "YYYY-MM-DD HH:mm" in `tz` (the bureau's TIMEZONE), never UTC ISO. */
export function formatLocalDateTime(instant: Date | string, tz: string): string {
  const p = localParts(typeof instant === 'string' ? new Date(instant) : instant, tz);
  return `${p.date} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}
