import { describe, expect, it } from 'vitest';
import { findPhone } from '../../../src/core/engine/phone.js';
import { findPhones, maskPersonalData } from '../../../src/core/privacy/mask.js';

/** The phone the filing flow offers to use ("您在内容里留了电话 …"): a whole number, never a piece of another one. */
describe('findPhone', () => {
  it('finds a mobile or a landline written inside a message', () => {
    expect(findPhone('彩屯小学乱收费，电话139 1234 5678，谢谢')).toBe('13912345678');
    expect(findPhone('请打（024）42842001找我')).toBe('024-42842001');
  });

  it('offers no part of an ID number or a longer digit run as a phone', () => {
    // 21050220190115121X holds "0502" + "20190115", which reads as a landline on its own.
    expect(findPhone('孩子身份证21050220190115121X，请核实')).toBeNull();
    expect(findPhone('订单号 202611301391234567890')).toBeNull();
    expect(findPhone('身份证21050220190115121X，电话13912345678')).toBe('13912345678');
  });
});

/**
 * Every form the masker masks as a phone is read as that phone, so the number a parent wrote can become the case's
 * contact before the text is stored masked (nothing staff need is lost). Each row: as typed → the number, and what the
 * text shows masked (the number is gone from it).
 */
const FORMS: [string, string, string][] = [
  ['zero-width space', '电话138\u200B1234\u200B5678', '13812345678'],
  ['zero-width non-joiner and joiner', '电话138\u200C1234\u200D5678', '13812345678'],
  ['word joiner, BOM, soft hyphen', '电话138\u20601234\uFEFF56\u00AD78', '13812345678'],
  ['+86', '家长电话+86 138 1234 5678', '13812345678'],
  ['+86 run on', '+8613812345678找我', '13812345678'],
  ['0086', '0086 138 1234 5678', '13812345678'],
  ['86-', '请打86-13812345678', '13812345678'],
  ['(86)', '(86)13812345678', '13812345678'],
  ['（86） full-width', '（86）13812345678', '13812345678'],
  ['+86 and the head in brackets', 'TEL:+86(138)1234-5678', '13812345678'],
  ['spaces 3-4-4', '电话 138 1234 5678', '13812345678'],
  ['spaces 4-4-3', '1381 2345 678', '13812345678'],
  ['dashes', '手机1381-2345-678', '13812345678'],
  ['full-width dashes', '138－1234－5678', '13812345678'],
  ['dots and middle dots', '手机138·1234·5678', '13812345678'],
  ['line breaks', '我的电话：\n138\n1234\n5678\n谢谢', '13812345678'],
  ['full-width digits', '电话１３８１２３４５６７８。', '13812345678'],
  ['Chinese numerals', '电话一三八一二三四五六七八', '13812345678'],
  ['幺 洞 两', '电话幺三九洞两三四五六七八', '13902345678'],
  ['numerals in groups with commas', '电话幺三八，幺二三四，五六七八', '13812345678'],
  ['an ID number run into a mobile', '身份证21050220190830123X13812345678谢谢', '13812345678'],
  ['a mobile run into an ID number', '电话13812345678210502201908301234', '13812345678'],
  ['landline with extension', '0414-1234567转123', '0414-1234567'],
  ['landline, area code in full-width brackets', '（024）12345678', '024-12345678'],
  ['landline run on', '02412345678', '024-12345678'],
  ['+86 before an area code without its 0', '+86 24 4284 2001', '024-42842001'],
  ['0086 before an area code', '0086 414 2842001', '0414-2842001'],
];

describe('findPhone reads every form the masker masks as a phone', () => {
  it.each(FORMS)('%s', (_form, typed, number) => {
    expect(findPhone(typed)).toBe(number);
    const masked = maskPersonalData(typed);
    expect(masked).toContain('****');
    expect(masked.replace(/\D/g, '')).not.toContain(number.replace(/\D/g, '').slice(-7));
  });

  it('the phones of a text come in the order written, each with its masked form as the text shows it', () => {
    const found = findPhones('学校电话024-42841234不接，我的139 8765 4321');
    expect(found.map((p) => [p.phone, p.masked])).toEqual([
      ['024-42841234', '024-****34'],
      ['13987654321', '139****4321'],
    ]);
  });

  it('a local number without its area code is masked but not offered: it cannot be dialled from it alone', () => {
    expect(maskPersonalData('座机：2842001')).toBe('座机：****01');
    expect(findPhone('座机：2842001')).toBeNull();
    expect(findPhones('座机：2842001')).toEqual([{ phone: null, masked: '****01', start: 3, end: 9 }]);
  });

  it('numbers that are not phones are not offered', () => {
    for (const text of ['案件XH-2026-000123 2026-12-07受理', '开学日期20260901', '收了12345678元', '一二年级的课本', '学号 2019 0830 1234'])
      expect([text, findPhone(text)]).toEqual([text, null]);
  });
});
