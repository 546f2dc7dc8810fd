import { AppError } from '../errors.js';
import { addDays, isIsoDate, weekday, type IsoDate } from './dates.js';

/**
 * Parser for the text of 《国务院办公厅关于20XX年部分节假日安排的通知》 as published, e.g.
 *   二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
 *   一、元旦：1月1日（周三）放假1天，不调休。
 *   一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。
 * Each numbered item is a holiday block (rest days, weekends inside it included) and its 上班 days.
 * Checked: a stated day count matches the range, a stated weekday matches the date, 上班 days are
 * weekend days outside every block, no two blocks overlap. Lines that are not numbered items (title,
 * document number, closing paragraph) are read only for the year and the document number.
 */
export interface NoticeBlock {
  name: string;
  days: IsoDate[];
  workdays: IsoDate[];
}

export interface ParsedNotice {
  year: number;
  /** e.g. 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）. */
  source: string;
  blocks: NoticeBlock[];
  /** Every rest day of every block, sorted. */
  holidays: IsoDate[];
  /** Every make-up working day, sorted. */
  workdays: IsoDate[];
}

const ITEM = /^\s*[一二三四五六七八九十]+、\s*([^：:]+)[：:]\s*(.+)$/;
const DATE = String.raw`(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:[（(]([^）)]*)[）)])?`;
const RANGE = new RegExp(String.raw`^${DATE}(?:至${DATE})?放假(?:调休)?(?:(\d+)天)?`);
const WORK = new RegExp(String.raw`^${DATE}((?:、${DATE})*)上班$`);
const ONE_DATE = new RegExp(DATE, 'g');
const WEEKDAYS: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };

interface DateParts {
  year?: string;
  month?: string;
  day: string;
  note?: string;
}

class LineError extends Error {}

function toDate(parts: DateParts, context: { year: number; month?: number }): IsoDate {
  const year = parts.year ? Number(parts.year) : context.year;
  const month = parts.month ? Number(parts.month) : context.month;
  if (month === undefined) throw new LineError(`${parts.day}日 has no month`);
  const date = `${year}-${String(month).padStart(2, '0')}-${parts.day.padStart(2, '0')}`;
  if (!isIsoDate(date)) throw new LineError(`${year}年${month}月${parts.day}日 is not a date`);
  const stated = /(?:周|星期)([日天一二三四五六])/.exec(parts.note ?? '');
  if (stated && WEEKDAYS[stated[1]!] !== weekday(date))
    throw new LineError(`${date} is not a ${stated[0]} (the notice says so)`);
  return date;
}

const isWeekend = (d: IsoDate) => [0, 6].includes(weekday(d));

function parseItem(name: string, body: string, year: number): NoticeBlock {
  const sentences = body.split(/[。；;]/).map((s) => s.trim()).filter(Boolean);
  const first = sentences.shift() ?? '';
  const m = RANGE.exec(first);
  if (!m) throw new LineError('cannot read the rest days (expected "M月D日（…）至M月D日（…）放假…")');
  const start = toDate({ year: m[1], month: m[2], day: m[3]!, note: m[4] }, { year });
  const startYear = Number(start.slice(0, 4));
  const startMonth = Number(start.slice(5, 7));
  const end = m[7] ? toDate({ year: m[5], month: m[6], day: m[7], note: m[8] }, { year: m[5] ? Number(m[5]) : startYear, month: startMonth }) : start;
  if (end < start) throw new LineError(`the range ends (${end}) before it starts (${start})`);
  const days: IsoDate[] = [];
  for (let d = start; d <= end; d = addDays(d, 1)) days.push(d);
  const count = m[9] ?? /共(\d+)天/.exec(first)?.[1];
  if (count !== undefined && Number(count) !== days.length)
    throw new LineError(`says ${count} days but ${start} to ${end} is ${days.length} days`);
  const workdays: IsoDate[] = [];
  for (const sentence of sentences) {
    if (!sentence.endsWith('上班')) continue; // e.g. "鼓励各单位…安排职工在除夕（2月9日）休息"
    if (!WORK.test(sentence)) throw new LineError(`cannot read the working days in "${sentence}"`);
    let month: number | undefined;
    for (const w of sentence.matchAll(ONE_DATE)) {
      const date = toDate({ year: w[1], month: w[2], day: w[3]!, note: w[4] }, { year, month });
      month = Number(date.slice(5, 7));
      workdays.push(date);
    }
  }
  return { name: name.trim(), days, workdays };
}

/** Parses a notice; throws an AppError naming every line it could not read or that fails a check. */
export function parseHolidayNotice(text: string, options: { year?: number } = {}): ParsedNotice {
  const lines = text.split(/\r?\n/);
  const titleYear = /关于(\d{4})年部分节假日安排/.exec(text)?.[1];
  const year = options.year ?? (titleYear ? Number(titleYear) : undefined);
  if (year === undefined)
    throw new AppError('cli_usage', 'No year: the text lacks the title "国务院办公厅关于20XX年部分节假日安排的通知"; pass --year');
  const number = /国办发明电〔\d{4}〕\d+号/.exec(text)?.[0];
  const problems: string[] = [];
  const blocks: NoticeBlock[] = [];
  lines.forEach((line, i) => {
    const item = ITEM.exec(line);
    if (!item) return;
    try {
      blocks.push(parseItem(item[1]!, item[2]!, year));
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      problems.push(`line ${i + 1}: ${error.message}: ${line.trim()}`);
    }
  });
  if (problems.length === 0 && blocks.length === 0) problems.push('no numbered items such as "一、元旦：1月1日放假…" found');
  const owner = new Map<IsoDate, string>();
  for (const b of blocks)
    for (const d of b.days) {
      const other = owner.get(d);
      if (other) problems.push(`${d} is in both ${other} and ${b.name}`);
      owner.set(d, b.name);
    }
  for (const b of blocks)
    for (const w of b.workdays) {
      if (!isWeekend(w)) problems.push(`${b.name}: ${w} is a weekday; a 上班 day must be a Saturday or Sunday`);
      if (owner.has(w)) problems.push(`${b.name}: ${w} is both a rest day (${owner.get(w)}) and a 上班 day`);
    }
  if (problems.length > 0) throw new AppError('rules_invalid', problems.join('\n'), { details: problems });
  const title = `国务院办公厅关于${year}年部分节假日安排的通知`;
  return {
    year,
    source: number ? `${title}（${number}）` : title,
    blocks,
    holidays: blocks.flatMap((b) => b.days).sort(),
    workdays: blocks.flatMap((b) => b.workdays).sort(),
  };
}
