import { describe, expect, it } from 'vitest';
import { maskIdNumbers, maskPersonalData } from '../../../src/core/privacy/mask.js';

/**
 * The forms parents actually write a number in, each row: what they typed → exactly what every view shows. The
 * masked form is always ASCII (a mobile 139****5678, a landline 024-****01, an ID number 210502********123X); the
 * words around it are kept as written. Zero-width characters are written here as escapes so the row can be read.
 */
const MASKED: [string, string, string][] = [
  // Separators inside a mobile number.
  ['spaces, 3-4-4', '电话 138 1234 5678', '电话 138****5678'],
  ['dashes, 4-4-3', '手机1381-2345-678', '手机138****5678'],
  ['spaces, 4-4-3', '1381 2345 678', '138****5678'],
  ['dots', '138.1234.5678', '138****5678'],
  ['middle dots', '手机138·1234·5678', '手机138****5678'],
  ['katakana middle dots', '138・1234・5678', '138****5678'],
  ['full-width dashes', '138－1234－5678', '138****5678'],
  ['slashes', '138/1234/5678', '138****5678'],
  ['line breaks', '我的电话：\n138\n1234\n5678\n谢谢', '我的电话：\n138****5678\n谢谢'],
  ['Windows line breaks', '138\r\n1234\r\n5678', '138****5678'],
  ['full-width digits', '电话１３８１２３４５６７８。', '电话138****5678。'],
  ['full and half width mixed', '电话1３8-1234-5678', '电话138****5678'],
  // Characters that show nothing, inside the number.
  ['zero-width space', '电话138\u200B1234\u200B5678', '电话138****5678'],
  ['zero-width non-joiner', '电话138\u200C12345678', '电话138****5678'],
  ['zero-width joiner', '电话1381234\u200D5678', '电话138****5678'],
  ['word joiner and BOM', '电话138\u20601234\uFEFF5678', '电话138****5678'],
  ['soft hyphens', '电话138\u00AD1234\u00AD5678', '电话138****5678'],
  ['zero-width space and a space', '138\u200B 1234 \u200B5678', '138****5678'],
  ['zero-width space in an ID number', '身份证2105\u200B0220\u200B1908\u200B30123X', '身份证210502********123X'],
  // Country codes.
  ['+86', '+86 138 1234 5678', '+86 138****5678'],
  ['+86 run on', '+8613812345678', '+86138****5678'],
  ['0086', '0086 138 1234 5678', '0086 138****5678'],
  ['0086-', '0086-13812345678', '0086-138****5678'],
  ['86-', '86-13812345678', '86-138****5678'],
  ['(86)', '(86)13812345678', '(86)138****5678'],
  ['（86） full-width brackets', '（86）13812345678', '(86)138****5678'],
  ['+86 and the head in brackets', 'TEL:+86(138)1234-5678', 'TEL:+86(138)****5678'],
  // Landlines.
  ['area code and extension 转', '0414-1234567转123', '0414-****67转123'],
  ['area code and extension after a dash', '0414-1234567-123', '0414-****67-123'],
  ['area code in brackets', '(024)12345678', '(024)****78'],
  ['area code in full-width brackets', '（024）12345678', '(024)****78'],
  ['three-digit area code run on', '02412345678', '024****78'],
  ['four-digit area code run on', '04142345678', '0414****78'],
  ['area code and 3-4 groups', '0414 123 4567', '0414 ****67'],
  ['+86 and an area code without its 0', '+86 24 4284 2001', '+86 24 ****01'],
  ['without area code, after 座机', '座机：2842001', '座机：****01'],
  ['without area code, after 电话, with 转', '电话：2842001转8001', '电话：****01转8001'],
  // ID numbers.
  ['18 digits with X', '身份证号21050220190830123X号', '身份证号210502********123X号'],
  ['18 digits with x', '身份证21050220190830123x', '身份证210502********123X'],
  ['6-8-4 groups', '210502 20190830 123X', '210502********123X'],
  ['6-8-4 with dashes, x', '210502-20190830-123x', '210502********123X'],
  ['over three lines', '身份证：\n210502\n20190830\n123X', '身份证：\n210502********123X'],
  ['full-width with Ｘ', '２１０５０２２０１９０８３０１２３Ｘ', '210502********123X'],
  ['old 15 digits', '老证210502190830123', '老证210502*****0123'],
  ['old 15 digits, grouped', '210502 190830 123', '210502*****0123'],
  ['run into Chinese text', '孩子210502201908301234在彩屯小学', '孩子210502********1234在彩屯小学'],
  ['run into letters after it', '21050220190830123Xhao', '210502********123Xhao'],
  // Numbers run together.
  ['an ID number run into a mobile', '身份证21050220190830123X13812345678谢谢', '身份证210502********123X 138****5678谢谢'],
  ['an ID number ending in a digit run into a mobile', '21050220190830123413812345678', '210502********1234 138****5678'],
  ['a mobile run into an ID number', '电话13812345678210502201908301234', '电话138****5678 210502********1234'],
  ['two mobiles run together', '1381234567813987654321', '138****5678 139****4321'],
  ['an ID number, 电话 and a mobile', '21050220190830123X电话13812345678', '210502********123X电话138****5678'],
  // Chinese numerals.
  ['Chinese numerals', '电话一三八一二三四五六七八', '电话138****5678'],
  ['幺 for 1', '幺三八幺二三四五六七八', '138****5678'],
  ['洞 for 0 and 两 for 2', '电话幺三九洞两三四五六七八', '电话139****5678'],
  ['零 and 两', '电话一三九零零两两三三四四', '电话139****3344'],
  ['read out in groups, commas between', '电话幺三八，幺二三四，五六七八', '电话138****5678'],
  ['in groups, spaces between', '电话一三八 一二三四 五六七八', '电话138****5678'],
  ['a local number in numerals after 电话', '电话二八四二零零一', '电话****01'],
];

/** Numbers that are not personal, in the forms they come in: they must stay readable. */
const KEPT: [string, string][] = [
  ['a case code', '案件XH-2026-000123怎么样了'],
  ['a case code and a date after it', '案件XH-2026-000123 2026-12-07受理'],
  ['a case code and a date on the next line', 'XH-2026-000123\n2026-12-07 截止'],
  ['a date run together', '开学日期20260901'],
  ['a date range run together', '20260901-20261231'],
  ['a date range with dots', '2026.09.01-2026.12.31'],
  ['two dates on two lines', '2026-09-01\n2026-12-31'],
  ['a date and time', '时间 2026-12-07 17:58:01'],
  ['a date in words', '2026年9月1日报到'],
  ['an amount', '收了12345678元'],
  ['an amount with separators', '金额 1,234,567.89 元'],
  ['a count', '全区共计1234567人'],
  ['years', '2019-2026年'],
  ['a 学号 (8 digits)', '学号20190830'],
  ['a 学号 in groups', '学号 2019 0830 1234'],
  ['a school code (学校标识码, 10 digits)', '学校代码2121000123'],
  ['a 考生号 (14 digits)', '考生号26210502123456'],
  ['a 准考证号 in groups', '准考证号 2026 0901 0123'],
  ['a postcode', '邮编117000'],
  ['an order number of 20 digits', '订单号12345678901234567890'],
  ['grades and months in numerals', '一二年级的课本，三四月份发'],
  ['a class in numerals', '三年级二班一共四十五个人'],
  ['seven numerals without a phone word', '一二三四五六七'],
];

describe('every form a number is written in is masked, exactly', () => {
  it.each(MASKED)('%s', (_form, typed, shown) => {
    expect(maskPersonalData(typed)).toBe(shown);
  });
});

describe('numbers that are not personal stay readable', () => {
  it.each(KEPT)('%s', (_form, text) => {
    expect(maskPersonalData(text)).toBe(text);
  });
});

describe('the staff-only detail (ID numbers masked, phones kept)', () => {
  it('an ID number run into a mobile: the ID masked, the mobile whole and apart from it', () => {
    expect(maskIdNumbers('21050220190830123X13812345678')).toBe('210502********123X 13812345678');
    expect(maskIdNumbers('13812345678210502201908301234')).toBe('13812345678 210502********1234');
  });
});

/**
 * Stated trade-offs: a 学籍号 (G or L + the child's ID number) contains the ID number and is masked as one; a local
 * number without a phone word before it cannot be told from a count or a code and is kept.
 */
describe('stated trade-offs', () => {
  it('a 学籍号 is masked as the ID number it contains', () => {
    expect(maskPersonalData('学籍号G210502201908301234')).toBe('学籍号G210502********1234');
  });
  it('a 7-digit local number with no phone word is kept', () => {
    expect(maskPersonalData('有事找2842001')).toBe('有事找2842001');
  });
});

describe('a number masked once is not masked again', () => {
  it('a phone word before a country code: the local-number rule does not take the masked mobile\'s head', () => {
    expect(maskPersonalData('打0086 139 8765 4321问过了')).toBe('打0086 139****4321问过了');
    expect(maskPersonalData('电话+86 139 8765 4321')).toBe('电话+86 139****4321');
    expect(maskPersonalData(maskPersonalData('电话138\u200B1234\u200B5678，身份证21050220190830123X13812345678'))).toBe('电话138****5678，身份证210502********123X 138****5678');
  });
});

describe('a contact phone typed in these forms is read as the number', () => {
  it.each([
    ['138\u200B1234\u200B5678', '13812345678'],
    ['138·1234·5678', '13812345678'],
    ['0086 138 1234 5678', '13812345678'],
    ['幺三八幺二三四五六七八', '13812345678'],
  ])('%s', async (typed, number) => {
    const { normalisePhone } = await import('../../../src/core/cases/contact.js');
    expect(normalisePhone(typed)).toBe(number);
  });
});
