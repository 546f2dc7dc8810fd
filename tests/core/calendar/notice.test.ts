import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseHolidayNotice } from '../../../src/core/calendar/notice.js';

// Notice texts written from the published State Council notices (tests/fixtures/holiday-notices).
const notice = (year: number) => readFileSync(`tests/fixtures/holiday-notices/${year}.txt`, 'utf8');
const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };
const packageDays = (kind: 'holidays' | 'workdays', year: number) => Object.keys(data[kind]).filter((d) => d.startsWith(`${year}-`)).sort();

describe('parseHolidayNotice over the 2020–2026 notices', () => {
  const parsed = [2020, 2021, 2022, 2023, 2024, 2025, 2026].map((y) => parseHolidayNotice(notice(y)));
  // The 2023 notice's 元旦 block starts on 2022-12-31: compare by calendar year over all notices.
  const byYear = (kind: 'holidays' | 'workdays', year: number) => parsed.flatMap((p) => p[kind]).filter((d) => d.startsWith(`${year}-`)).sort();

  it('gives exactly the days chinese-days has for 2021–2026', () => {
    for (const year of [2021, 2022, 2023, 2024, 2025, 2026]) {
      expect(byYear('holidays', year), `${year} rest days`).toEqual(packageDays('holidays', year));
      expect(byYear('workdays', year), `${year} 上班 days`).toEqual(packageDays('workdays', year));
    }
  });

  it('gives the 2020 notice as published; chinese-days also has the later extension of the Spring Festival to 2 February', () => {
    const extension = ['2020-01-31', '2020-02-01', '2020-02-02'];
    expect(packageDays('holidays', 2020)).toEqual([...byYear('holidays', 2020), ...extension].sort());
    expect(packageDays('workdays', 2020)).toEqual(byYear('workdays', 2020).filter((d) => d !== '2020-02-01'));
  });

  it('reads the 2026 notice into blocks with their names, make-up days and source', () => {
    const p = parsed[6]!;
    expect(p.year).toBe(2026);
    expect(p.source).toBe('国务院办公厅关于2026年部分节假日安排的通知');
    expect(p.blocks.map((b) => [b.name, b.days.length, b.workdays])).toEqual([
      ['元旦', 3, ['2026-01-04']],
      ['春节', 9, ['2026-02-14', '2026-02-28']],
      ['清明节', 3, []],
      ['劳动节', 5, ['2026-05-09']],
      ['端午节', 3, []],
      ['中秋节', 3, []],
      ['国庆节', 7, ['2026-09-20', '2026-10-10']],
    ]);
    expect(p.holidays).toHaveLength(33);
  });

  it('reads a combined item and a range across a month (2025)', () => {
    const p = parsed[5]!;
    expect(p.blocks.find((b) => b.name === '端午节')?.days).toEqual(['2025-05-31', '2025-06-01', '2025-06-02']);
    expect(p.blocks.find((b) => b.name === '国庆节、中秋节')?.days).toHaveLength(8);
    expect(p.blocks[0]).toEqual({ name: '元旦', days: ['2025-01-01'], workdays: [] });
  });

  it('names the document number when the text has it', () => {
    const p = parseHolidayNotice(`国务院办公厅关于2027年部分节假日安排的通知\n国办发明电〔2026〕9号\n一、元旦：1月1日（周五）至3日（周日）放假，共3天。`);
    expect(p.source).toBe('国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕9号）');
    expect(p.holidays).toEqual(['2027-01-01', '2027-01-02', '2027-01-03']);
  });
});

describe('parseHolidayNotice refuses malformed text with the line', () => {
  const title = '国务院办公厅关于2026年部分节假日安排的通知\n';
  const refuse = (text: string) => {
    try {
      parseHolidayNotice(text);
    } catch (error) {
      return (error as Error).message;
    }
    return 'accepted';
  };

  it('a day count that does not match the range', () => {
    expect(refuse(`${title}二、春节：2月15日至23日放假调休，共8天。`)).toBe('line 2: says 8 days but 2026-02-15 to 2026-02-23 is 9 days: 二、春节：2月15日至23日放假调休，共8天。');
  });

  it('a stated weekday that does not match the date', () => {
    expect(refuse(`${title}一、元旦：1月1日（周三）放假1天，不调休。`)).toBe('line 2: 2026-01-01 is not a 周三 (the notice says so): 一、元旦：1月1日（周三）放假1天，不调休。');
  });

  it('a 上班 day on a weekday or inside a block, and overlapping blocks', () => {
    expect(refuse(`${title}四、劳动节：5月1日至5日放假调休，共5天。5月8日（周五）、5月3日上班。`)).toBe(
      '劳动节: 2026-05-08 is a weekday; a 上班 day must be a Saturday or Sunday\n劳动节: 2026-05-03 is both a rest day (劳动节) and a 上班 day',
    );
    expect(refuse(`${title}六、中秋节：9月25日至27日放假，共3天。\n七、国庆节：9月27日至10月3日放假，共7天。`)).toBe('2026-09-27 is in both 中秋节 and 国庆节');
  });

  it('an item it cannot read, and text without items or year', () => {
    expect(refuse(`${title}三、清明节：四月四日放假。`)).toBe('line 2: cannot read the rest days (expected "M月D日（…）至M月D日（…）放假…"): 三、清明节：四月四日放假。');
    expect(refuse(`${title}二、春节：2月15日至23日放假调休，共9天。二月十四日上班。`)).toBe('line 2: cannot read the working days in "二月十四日上班": 二、春节：2月15日至23日放假调休，共9天。二月十四日上班。');
    expect(refuse(`${title}放假安排另行通知。`)).toBe('no numbered items such as "一、元旦：1月1日放假…" found');
    expect(refuse('一、元旦：1月1日放假。')).toContain('No year');
    expect(refuse(`${title}二、春节：2月30日放假。`)).toBe('line 2: 2026年2月30日 is not a date: 二、春节：2月30日放假。');
  });
});
