import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../../../src/core/privacy/mask.js';

/**
 * Property tests (issue 16, item 5): a mobile, a landline with its area code or
 * an ID number, written in any width (ASCII, full-width) with the separators
 * people type between its groups (space, dot, dash in their ASCII, full-width
 * and ideographic forms; a middle dot, a line break, invisible characters), never survives masking, wherever it sits in Chinese text.
 */
const FULL_WIDTH = (d: string) => String.fromCharCode(d.charCodeAt(0) - 0x30 + 0xff10);
const SEPARATORS = ['', ' ', '-', '.', '－', '．', '\u3000', '\u2014', '\u00a0', '·', '\n', '\u200b', '\u2060', '\ufeff', '\u00ad', '\u200d'];
const HAN = fc.string({ unit: fc.constantFrom(...'孩子家长电话号码请联系我身份证学校，。：（）'), maxLength: 8 });

const digit = fc.constantFrom(...'0123456789');
const digitsOf = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((a) => a.join(''));
const sep = fc.constantFrom(...SEPARATORS);
const width = fc.boolean();

/** Writes `groups` joined by generated separators, each digit ASCII or full-width. */
const written = (groups: string[]) =>
  fc.tuple(fc.array(sep, { minLength: groups.length, maxLength: groups.length }), fc.array(width, { minLength: 30, maxLength: 30 })).map(([seps, wide]) => {
    let i = 0;
    return groups
      .map((g, k) => (k === 0 ? '' : seps[k]!) + [...g].map((c) => (/\d/.test(c) && wide[i++ % 30] ? FULL_WIDTH(c) : c)).join(''))
      .join('');
  });

/** The ASCII digits of a text, any width folded (what a reader could still read as the number). */
const readableDigits = (s: string) => [...s.normalize('NFKC')].filter((c) => /[\dXx]/.test(c)).join('');

const mobile = fc.tuple(fc.constantFrom('3', '4', '5', '6', '7', '8', '9'), digitsOf(9), fc.boolean()).chain(([second, rest, withCountry]) => {
  const number = `1${second}${rest}`;
  const groups = [number.slice(0, 3), number.slice(3, 7), number.slice(7)];
  return written(withCountry ? ['+86', ...groups] : groups).map((text) => ({ text, secret: number }));
});
// Area codes as they are: 010 and 020–029, or 0 + three digits beginning 3–9 (0414 本溪, 0755 深圳).
const areaCode = fc.oneof(fc.constant('10'), digitsOf(1).map((d) => `2${d}`), fc.tuple(fc.constantFrom('3', '4', '5', '6', '7', '8', '9'), digitsOf(2)).map(([a, b]) => a + b));
const landline = fc.tuple(areaCode, fc.integer({ min: 7, max: 8 })).chain(([area, localLen]) =>
  fc.tuple(fc.constantFrom('2', '3', '4', '5', '6', '7', '8'), digitsOf(localLen - 1), fc.boolean()).chain(([first, local, parens]) => {
    const number = `${first}${local}`;
    const groups = [parens ? `(0${area})` : `0${area}`, number.slice(0, localLen - 4), number.slice(localLen - 4)];
    return written(groups).map((text) => ({ text, secret: `0${area}${number}` }));
  }),
);
/** A region code (first digit 1–8) and a birth date as an ID number holds them: YYYYMMDD (or YYMMDD, 15 digits). */
const region = fc.tuple(fc.constantFrom('1', '2', '3', '4', '5', '6', '7', '8'), digitsOf(5)).map(([a, b]) => a + b);
const birth = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }).map((t) => t.toISOString().slice(0, 10).replace(/-/g, ''));
const id18 = fc.tuple(region, birth, digitsOf(3), fc.constantFrom(...'0123456789Xx'), fc.boolean()).chain(([place, born, order, check, sixEightFour]) => {
  const number = `${place}${born}${order}${check}`;
  const groups = sixEightFour ? [number.slice(0, 6), number.slice(6, 14), number.slice(14)] : [number.slice(0, 6), number.slice(6, 10), number.slice(10, 14), number.slice(14)];
  return written(groups).map((text) => ({ text, secret: number }));
});
const id15 = fc.tuple(region, birth, digitsOf(3)).map(([place, born, order]) => `${place}${born.slice(2)}${order}`).chain((number) => written([number.slice(0, 6), number.slice(6, 12), number.slice(12)]).map((text) => ({ text, secret: number })));

describe('maskPersonalData over every written form', () => {
  it.each([
    ['mobile numbers', mobile, 4],
    ['landlines with an area code', landline, 2],
    ['18-digit ID numbers ending in a digit, X or x', id18, 4],
    ['15-digit ID numbers', id15, 3],
  ] as const)('%s never survive, and the kept tail is the real one', (_name, arb, tail) => {
    fc.assert(
      fc.property(HAN, arb, HAN, (before, { text, secret }, after) => {
        const masked = maskPersonalData(`${before}${text}${after}`);
        expect(masked).toContain('****');
        expect(readableDigits(masked)).not.toContain(secret);
        // At least four digits are gone (the shown head and tail may by chance spell the hidden part).
        expect(readableDigits(masked).length).toBeLessThanOrEqual(readableDigits(text).length - 4);
        expect(readableDigits(masked).toUpperCase().endsWith(secret.slice(-tail).toUpperCase())).toBe(true);
        // The text around the number is kept (a bracket next to an area code may be rewritten in ASCII with it).
        expect(masked.normalize('NFKC').startsWith(before.normalize('NFKC'))).toBe(true);
        expect(masked.endsWith(after)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('masks an ID typed right after letters, brackets round +86, slashes, and a local number after a phone word', () => {
    expect(maskPersonalData('孩子sfz21050220150901123X，我的ID210502198001011234')).toBe('孩子sfz210502********123X，我的ID210502********1234');
    expect(maskPersonalData('TEL:+86(138)1234-5678')).toBe('TEL:+86(138)****5678');
    expect(maskPersonalData('138/1234/5678 或 139_8765_4321')).toBe('138****5678 或 139****4321');
    expect(maskPersonalData('电话2842001，或打42842001')).toBe('电话****01，或打****01');
    // Without a phone word a 7- or 8-digit number is not known to be one: a date, a student number, an amount.
    expect(maskPersonalData('学号20190830，共2000元，2026/12/07')).toBe('学号20190830，共2000元，2026/12/07');
  });

  it('masks the forms the outside probe found', () => {
    expect(maskPersonalData('电话１３９８７６５４３２１')).toBe('电话139****4321');
    expect(maskPersonalData('电话138.1234.5678，或139-8765-4321')).toBe('电话138****5678，或139****4321');
    expect(maskPersonalData('身份证２１０５０２２０１９０８３０１２３ｘ。')).toBe('身份证210502********123X。');
    expect(maskPersonalData('座机（０２４）４２８４ ２００１')).toBe('座机(024)****01');
    expect(maskPersonalData('日期2026.11.27，案件XH-2026-000123，邮编117000，１２３元')).toBe('日期2026.11.27，案件XH-2026-000123，邮编117000，１２３元');
  });
});
