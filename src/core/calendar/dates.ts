import { AppError } from '../errors.js';

/**
 * Calendar dates are `YYYY-MM-DD` strings (a day in TIMEZONE, no time).
 * Arithmetic runs on UTC midnights so no daylight-saving or host time zone
 * can shift a day.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

export function assertIsoDate(value: string, what = 'date'): IsoDate {
  if (!isIsoDate(value)) throw new AppError('case_invalid', `${what} must be a date written YYYY-MM-DD, e.g. 2026-02-10 (got "${value}")`);
  return value;
}

function toUtc(date: IsoDate): Date {
  return new Date(`${date}T00:00:00Z`);
}

export function addDays(date: IsoDate, n: number): IsoDate {
  const d = toUtc(date);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  return toUtc(date).getUTCDay();
}

export function isWeekend(date: IsoDate): boolean {
  const day = weekday(date);
  return day === 0 || day === 6;
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/** Whole calendar days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((toUtc(b).getTime() - toUtc(a).getTime()) / 86_400_000);
}

/** The calendar day an instant falls on in `timeZone` (e.g. Asia/Shanghai). */
export function dateInZone(instant: Date, timeZone: string): IsoDate {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The instant at which the wall clock in `timeZone` reads `local` (YYYY-MM-DDTHH:MM or …:SS, no offset). */
export function instantInZone(local: string, timeZone: string): Date {
  const guess = new Date(`${local.length === 16 ? `${local}:00` : local}Z`);
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(guess);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return new Date(guess.getTime() - (Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - guess.getTime()));
}
