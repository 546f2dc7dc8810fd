import { createRequire } from 'node:module';
import { addDays, type IsoDate } from './dates.js';

/**
 * The rest days fixed by law for a year whose State Council schedule is not yet known:
 * 《全国年节及纪念日放假办法》(as amended 2024, in force 2025-01-01), article 2:
 *   元旦 1 day (1 January); 春节 4 days (农历除夕, 正月初一至初三); 清明节 1 day (the 清明 solar term);
 *   劳动节 2 days (1–2 May); 端午节 1 day (农历五月初五); 中秋节 1 day (农历八月十五);
 *   国庆节 3 days (1–3 October).
 * Lunar dates and solar terms come from `chinese-days` (no hand-written tables). 调休 (moved weekends)
 * cannot be known in advance, so an estimate counts these days as rest on top of ordinary weekends.
 */
interface LunarApi {
  getSolarDateFromLunar(lunar: string): { date: string; leapMonthDate?: string };
  getSolarTermDate(year: number, month: number, term: string): string;
}

let api: LunarApi | undefined;
const lunar = (): LunarApi => (api ??= createRequire(import.meta.url)('chinese-days') as LunarApi);

const cache = new Map<number, ReadonlyMap<IsoDate, string>>();

/** Statutory rest days of `year` (date → holiday name). */
export function statutoryHolidays(year: number): ReadonlyMap<IsoDate, string> {
  const hit = cache.get(year);
  if (hit) return hit;
  const { getSolarDateFromLunar, getSolarTermDate } = lunar();
  const y = String(year);
  const fromLunar = (mmdd: string) => getSolarDateFromLunar(`${y}-${mmdd}`).date;
  const days = new Map<IsoDate, string>();
  const add = (date: IsoDate, name: string) => days.set(date, name);

  add(`${y}-01-01`, '元旦');
  const newYear = fromLunar('01-01'); // 正月初一 of the lunar year that begins in `year`
  for (const offset of [-1, 0, 1, 2]) add(addDays(newYear, offset), '春节'); // 除夕 is the day before 初一
  add(getSolarTermDate(year, 4, 'pure_brightness'), '清明节');
  add(`${y}-05-01`, '劳动节');
  add(`${y}-05-02`, '劳动节');
  add(fromLunar('05-05'), '端午节');
  add(fromLunar('08-15'), '中秋节');
  for (const d of ['01', '02', '03']) add(`${y}-10-${d}`, '国庆节');
  // 正月初一 always falls between 21 January and 20 February, so every day above lies in `year`.
  cache.set(year, days);
  return days;
}
