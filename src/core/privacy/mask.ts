/**
 * Masking of personal numbers in citizen text. Used for every channel post,
 * digest, log line and export; only the staff-only case detail shows the
 * original. Patterns are deliberately broad: masking a number that was not
 * personal costs little, leaking one costs a family its privacy.
 *
 * Numbers are found on a folded copy of the text: each character is replaced
 * by its NFKC form when that is one ASCII digit, letter or separator
 * (１３９… full-width digits, ① circled digits, Ｘ, （０２４）), dashes of every
 * kind become "-", and blanks (ideographic space, no-break space, tab) a
 * space. The fold is one character for one character, so a match maps back
 * to the original text; a masked number is written in ASCII, the rest of the
 * text (Chinese punctuation included) is left exactly as it was.
 */

/**
 * What people type between the digits of a number (after folding): a space, dot, dash, slash or underscore, or a few
 * of them ("139 – 8765", "139  8765", "138/1234/5678").
 */
const SEP = '[ .\\-/_]{0,3}';
/** `n` digits, each pair optionally separated by one separator. */
const digits = (min: number, max = min) => `\\d(?:${SEP}\\d){${min - 1},${max - 1}}`;

// 18-digit 身份证号 (last may be X) and the old 15-digit form, in groups or not: 210502 20190830 123X. A letter may
// come right before one: parents label it "sfz" (身份证's initials) or "ID" and type the number straight after.
const ID_18 = new RegExp(`(?<![0-9])${digits(17)}${SEP}[\\dXx](?![0-9A-Za-z])`, 'g');
const ID_15 = new RegExp(`(?<![0-9])${digits(15)}(?![0-9A-Za-z])`, 'g');
// 统一社会信用代码 (GB 32100): 18 characters with at least one letter (an all-digit one is caught as an ID above).
const CREDIT_CODE = /(?<![0-9A-Za-z])(?=[0-9A-Za-z]{0,17}[A-Za-z])[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{2}\d{6}[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{10}(?![0-9A-Za-z])/g;
// Passports and 港澳台 permits: E12345678, EA1234567, H12345678 (old permits H + 10 digits), K…, G…, D…, S…, P…, M….
const TRAVEL_DOC = /(?<![0-9A-Za-z])[DEGHKMPSdeghkmps][A-Za-z]?\d{7,10}(?![0-9A-Za-z])/g;
// Numbers that only the word before them tells from any other number: a 台湾居民来往大陆通行证 (台胞证) is 8 or 10
// bare digits, a foreign passport any 5–17 letters and digits (the forms a stored number may take, identity.ts).
const afterWord = (words: string) => `(?<=(?:${words})(?:号码|号|\\s?[Nn]o\\.?|\\s?[Nn]umber)?(?:是|为|:|：|\\s)*)`;
const TW_PERMIT = new RegExp(`${afterWord('台胞证|通行证|证件号码|证件号')}\\d{8}(?:\\d{2})?(?![0-9A-Za-z])`, 'g');
const PASSPORT_AFTER_WORD = new RegExp(`${afterWord('护照|[Pp]assport')}(?=[0-9A-Za-z]{0,16}\\d)[0-9A-Za-z]{5,17}(?![0-9A-Za-z])`, 'g');
// Mainland mobile numbers, optionally with +86 / 86 (in brackets too): 138 1234 5678, 138-1234-5678, +86(138)1234-5678.
const MOBILE = new RegExp(`(?<!\\d)((?:\\(?\\+?86\\)?${SEP})?\\(?)(1${SEP}[3-9]${SEP}\\d)(\\)?)${SEP}(${digits(8)})(?!\\d)`, 'g');
// Landlines with an area code: 024-42842001, (024)4284 2001, 0414.1234567.
const LANDLINE = new RegExp(`(?<!\\d)(\\(?0\\d{2,3}\\)?${SEP})(${digits(7, 8)})(?!\\d)`, 'g');
// A local number without its area code (本溪 numbers are 7 digits), told apart from any other number only by the word
// before it: 电话2842001, 打42842001, 座机：2842001, tel 2842001.
const LOCAL_AFTER_WORD = new RegExp(`${afterWord('电话|座机|手机|联系方式|打|拨打|拨|[Tt]el|TEL|[Pp]hone')}(${digits(7, 8)})(?!\\d)`, 'g');

const DASHES = /[\u2010-\u2015\u2212\u2E3A\u2E3B\uFE58\uFE63\uFF0D\u30FC]/u;
const KEPT_ASCII = /^[0-9A-Za-z+(). /_-]$/;

/** One UTF-16 unit per code point: the ASCII form that matters for matching, else the character (or U+FFFD). */
function fold(ch: string): string {
  const code = ch.charCodeAt(0);
  // Shortcuts with the same results: a CJK unified ideograph is its own NFKC form and none of the classes below;
  // an ASCII letter or digit is kept as it is.
  if (code >= 0x4e00 && code <= 0x9fff) return ch;
  if ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return ch;
  const n = ch.normalize('NFKC');
  if (KEPT_ASCII.test(n)) return n;
  if (DASHES.test(ch)) return '-';
  if (ch !== '\n' && /^\s$/u.test(n)) return ' ';
  return ch.length === 1 ? ch : '\uFFFD';
}

/** Chinese numerals as digits: 〇/零 0, 一/幺 (said for 1 in phone numbers) 1, 二 2 … 九 9. */
export const CHINESE_DIGITS: Record<string, string> = { 〇: '0', 零: '0', 一: '1', 幺: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };
/**
 * A number spelled in Chinese numerals (电话一三九八七六五四三二一): a run of at least 7 of them, separators allowed
 * between them. Shorter runs (一二年级, 三四月) are words and stay as they are, so a digit run next to them still
 * ends where it did (13812345678一直打不通).
 */
const CHINESE_NUMBER = /[〇零一幺二三四五六七八九](?:[ .\-\u3000]{0,3}[〇零一幺二三四五六七八九]){6,}/gu;

/** `text` folded one code point at a time (see fold): what every pattern is matched against. */
function foldText(text: string): string {
  let folded = '';
  for (const ch of text) folded += fold(ch);
  if (!CHINESE_NUMBER.test(text)) return folded;
  CHINESE_NUMBER.lastIndex = 0;
  // Every character here is one UTF-16 unit in the text and in the folded copy, so the indexes agree
  // as long as no character before the run took two units in the text: count code points to be sure.
  const chars = Array.from(folded);
  for (const m of text.matchAll(CHINESE_NUMBER)) {
    const start = Array.from(text.slice(0, m.index)).length;
    Array.from(m[0]).forEach((ch, i) => {
      if (CHINESE_DIGITS[ch]) chars[start + i] = CHINESE_DIGITS[ch];
    });
  }
  return chars.join('');
}

const onlyDigits = (s: string) => s.replace(/[^\dXx]/g, '');

type Masker = (match: string, ...groups: string[]) => string;

/**
 * Replaces every match of `pattern` in the folded text, writing the masked form over the original characters.
 * `folded` is foldText(text) when the caller has it (several passes over a text nothing matched yet).
 */
function maskPass(text: string, pattern: RegExp, masker: Masker, folded = foldText(text)): string {
  pattern.lastIndex = 0;
  const found = pattern.test(folded);
  pattern.lastIndex = 0; // matchAll starts from lastIndex
  if (!found) return text;
  const chars = Array.from(text);
  let out = '';
  let last = 0;
  for (const m of folded.matchAll(pattern)) {
    out += chars.slice(last, m.index).join('') + masker(m[0], ...(m.slice(1) as string[]));
    last = m.index + m[0].length;
  }
  return out + chars.slice(last).join('');
}

/** The passes in order, each on the previous one's output; the text is folded again only after a pass changed it. */
function maskPasses(text: string, passes: readonly (readonly [RegExp, Masker])[]): string {
  let folded: string | null = null;
  for (const [pattern, masker] of passes) {
    const masked = maskPass(text, pattern, masker, (folded ??= foldText(text)));
    if (masked !== text) folded = null;
    text = masked;
  }
  return text;
}

/**
 * The one way a personal number is written masked, wherever it was found: in free text (maskIdNumbers) or in a
 * stored field shown to staff (maskIdentityNumber), so the same number reads the same in every view. Its
 * characters without separators, in upper case; 15 or more (身份证, 居住证, 统一社会信用代码): the first 6 (the
 * issuing region) and the last 4; 8 to 14 (passport, 通行证): the first (the kind of document) and the last 2;
 * fewer: the first only. Everything between is starred.
 */
export function maskNumber(value: string): string {
  const chars = Array.from(value.toUpperCase().replace(/[\s.-]/g, ''));
  const keep = (head: number, tail: number) =>
    `${chars.slice(0, head).join('')}${'*'.repeat(chars.length - head - tail)}${tail > 0 ? chars.slice(-tail).join('') : ''}`;
  if (chars.length >= 15) return keep(6, 4);
  if (chars.length >= 8) return keep(1, 2);
  return keep(Math.min(1, chars.length), 0);
}

/** 身份证号 (18 and 15 digits), 统一社会信用代码, passport and permit numbers, each written as maskNumber writes it. */
export function maskIdNumbers(text: string): string {
  return maskPasses(text, ID_PASSES);
}
const maskId = (m: string) => maskNumber(onlyDigits(m));
const ID_PASSES: readonly (readonly [RegExp, Masker])[] = [
  [ID_18, maskId],
  [ID_15, maskId],
  [CREDIT_CODE, maskNumber],
  [TRAVEL_DOC, maskNumber],
  [TW_PERMIT, maskNumber],
  [PASSPORT_AFTER_WORD, maskNumber],
];

export function maskPhones(text: string): string {
  const mobile = maskPass(text, MOBILE, (_m, prefix, head, close, rest) => `${prefix}${onlyDigits(head!)}${close}****${onlyDigits(rest!).slice(-4)}`);
  const landline = maskPass(mobile, LANDLINE, (_m, area, rest) => `${area}****${onlyDigits(rest!).slice(-2)}`);
  return maskPass(landline, LOCAL_AFTER_WORD, (_m, rest) => `****${onlyDigits(rest!).slice(-2)}`);
}

/** Mask ID numbers first (they contain phone-like runs), then phones. */
export function maskPersonalData(text: string): string {
  return maskPhones(maskIdNumbers(text));
}
