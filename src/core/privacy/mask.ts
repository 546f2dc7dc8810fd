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
 * What people type between the digits of a number (after folding): a space, dot (any middle dot too), dash, slash,
 * underscore or line break, or a few of them ("139 – 8765", "139  8765", "138/1234/5678", "138·1234·5678", a number
 * broken over two lines). Invisible characters (zero-width space and joiner, word joiner, BOM, soft hyphen) are not
 * separators: they are left out of the folded copy altogether, so they never count against the three.
 */
const SEP = '[ .\\-/_\\n\\r]{0,3}';
/** `n` digits, each pair optionally separated by one separator. */
const digits = (min: number, max = min) => `\\d(?:${SEP}\\d){${min - 1},${max - 1}}`;

// 18-digit 身份证号 (last may be X) and the old 15-digit form, in groups or not: 210502 20190830 123X. Only what can be
// one: the region code starts with 1–8 (11 北京 … 82 澳门; never 0, so "0086 138 1234 5678" is not read as an old ID)
// and the birth date has a month 01–12 and a day 01–31 (18 digits: born 18xx–20xx). A case code followed by a date
// ("XH-2026-000123 2026-12-07", 18 digits) is therefore not masked as an ID. A letter may come right before one:
// parents label it "sfz" (身份证's initials) or "ID" and type the number straight after; letters after it may follow
// too (…123Xhao).
const MONTH_DAY = `(?:0${SEP}[1-9]|1${SEP}[0-2])${SEP}(?:[0-2]${SEP}\\d|3${SEP}[01])`;
const ID_18_BODY = `[1-8](?:${SEP}\\d){5}${SEP}(?:1${SEP}[89]|2${SEP}0)(?:${SEP}\\d){2}${SEP}${MONTH_DAY}(?:${SEP}\\d){3}${SEP}[\\dXx]`;
const ID_15_BODY = `[1-8](?:${SEP}\\d){5}(?:${SEP}\\d){2}${SEP}${MONTH_DAY}(?:${SEP}\\d){3}`;
const ID_18 = new RegExp(`(?<![0-9])${ID_18_BODY}(?![0-9])`, 'g');
const ID_15 = new RegExp(`(?<![0-9])${ID_15_BODY}(?![0-9A-Za-z])`, 'g');
// The same lengths written without a separator are masked whatever their digits say (a mistyped birth date, a bank
// account of that length): 18 or 15 digits in one run are not a date, an amount or a code parents write.
const ID_18_UNBROKEN = /(?<![0-9])[1-9]\d{16}[\dXx](?![0-9])/g;
const ID_15_UNBROKEN = /(?<![0-9])[1-9]\d{14}(?![0-9A-Za-z])/g;
// 统一社会信用代码 (GB 32100): 18 characters with at least one letter (an all-digit one is caught as an ID above).
const CREDIT_CODE = /(?<![0-9A-Za-z])(?=[0-9A-Za-z]{0,17}[A-Za-z])[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{2}\d{6}[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{10}(?![0-9A-Za-z])/g;
// Passports and 港澳台 permits: E12345678, EA1234567, H12345678 (old permits H + 10 digits), K…, G…, D…, S…, P…, M….
const TRAVEL_DOC = /(?<![0-9A-Za-z])[DEGHKMPSdeghkmps][A-Za-z]?\d{7,10}(?![0-9A-Za-z])/g;
// Numbers that only the word before them tells from any other number: a 台湾居民来往大陆通行证 (台胞证) is 8 or 10
// bare digits, a foreign passport any 5–17 letters and digits (the forms a stored number may take, identity.ts).
const afterWord = (words: string) => `(?<=(?:${words})(?:号码|号|\\s?[Nn]o\\.?|\\s?[Nn]umber)?(?:是|为|:|：|\\s)*)`;
const TW_PERMIT = new RegExp(`${afterWord('台胞证|通行证|证件号码|证件号')}\\d{8}(?:\\d{2})?(?![0-9A-Za-z])`, 'g');
const PASSPORT_AFTER_WORD = new RegExp(`${afterWord('护照|[Pp]assport')}(?=[0-9A-Za-z]{0,16}\\d)[0-9A-Za-z]{5,17}(?![0-9A-Za-z])`, 'g');
/** The country code before a number: +86, 0086, 86, each in brackets or not: +86(138)…, (86)138…, 0086 138…. */
const COUNTRY = '\\(?(?:\\+|00)?86\\)?';
const MOBILE_HEAD = `1${SEP}[3-9]${SEP}\\d`;
// Mainland mobile numbers, optionally with the country code: 138 1234 5678, 1381 2345 678, +86(138)1234-5678.
const MOBILE = new RegExp(`(?<!\\d)((?:${COUNTRY}${SEP})?\\(?)(${MOBILE_HEAD})(\\)?)${SEP}(${digits(8)})(?!\\d)`, 'g');
// Landlines with an area code: 024-42842001, (024)4284 2001, 0414.1234567, 02442842001, +86 24 4284 2001. Area codes
// are 010 and 020–029 (three digits) or 0 + three digits: so 02442842001 is 024 + 42842001, not 0244 + 2842001. An
// area code is written in one piece (a separator inside "01-2026" is a date's, not a phone's).
const AREA = '(?:10|2\\d|[3-9]\\d{2})';
const LANDLINE = new RegExp(`(?<!\\d)(\\(?0${AREA}\\)?${SEP}|\\(?(?:\\+|00)86\\)?${SEP}\\(?${AREA}\\)?${SEP})(${digits(7, 8)})(?![\\d*])`, 'g');
// A local number without its area code (本溪 numbers are 7 digits), told apart from any other number only by the word
// before it: 电话2842001, 打42842001, 座机：2842001, tel 2842001.
// Not the head of a number already masked (打0086 139****4321: "0086 139" is no local number).
const LOCAL_AFTER_WORD = new RegExp(`${afterWord('电话|座机|手机|联系方式|打|拨打|拨|[Tt]el|TEL|[Pp]hone')}(${digits(7, 8)})(?![\\d*])`, 'g');
/**
 * Numbers run together with nothing between them: an ID number straight into a mobile (21050220190830123X13812345678),
 * a mobile into an ID number, two mobiles. Found as one run of 22 or more digits (and X), then cut into pieces that
 * each is a whole ID number or mobile (splitRun); a run that does not cut so is left to the passes after it.
 */
const LONG_RUN = /(?<![0-9])\d[\dXx]{21,57}(?![0-9])/g;
const WHOLE_ID_18 = new RegExp(`^${ID_18_BODY}`);
const WHOLE_MOBILE = /^1[3-9]\d{9}/;

const DASHES = /[\u2010-\u2015\u2212\u2E3A\u2E3B\uFE58\uFE63\uFF0D\u30FC]/u;
/** Middle dots typed between groups of digits (138·1234·5678): read as a dot. */
const MIDDLE_DOTS = /[\u00B7\u2022\u2027\u2219\u22C5\u30FB\uFF65]/u;
/** Characters that show nothing: zero-width space, non-joiner and joiner, word joiner, BOM, soft hyphen and the rest of Cf. */
const INVISIBLE = /^\p{Cf}$/u;
const KEPT_ASCII = /^[0-9A-Za-z+(). /_-]$/;

/** One UTF-16 unit per code point: the ASCII form that matters for matching, else the character (or U+FFFD); '' for an invisible one. */
function fold(ch: string): string {
  const code = ch.charCodeAt(0);
  // Shortcuts with the same results: a CJK unified ideograph is its own NFKC form and none of the classes below;
  // an ASCII letter or digit is kept as it is.
  if (code >= 0x4e00 && code <= 0x9fff) return ch;
  if ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return ch;
  if (INVISIBLE.test(ch)) return '';
  const n = ch.normalize('NFKC');
  if (KEPT_ASCII.test(n)) return n;
  if (DASHES.test(ch)) return '-';
  if (MIDDLE_DOTS.test(ch)) return '.';
  if (ch === '\n' || ch === '\r') return ch;
  if (/^\s$/u.test(n)) return ' ';
  return ch.length === 1 ? ch : '\uFFFD';
}

/** Chinese numerals as digits: 〇/零 0, 一/幺 (said for 1 in phone numbers) 1, 二 2 … 九 9. */
export const CHINESE_DIGITS: Record<string, string> = { 〇: '0', 零: '0', 一: '1', 幺: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };
/** As numbers are read out aloud (and then typed so): 洞 0, 两 2, 拐 7, 勾 9, and ○ (a circle) typed for 〇. */
const SPOKEN_DIGITS: Record<string, string> = { ...CHINESE_DIGITS, 洞: '0', '○': '0', 两: '2', 拐: '7', 勾: '9' };
/**
 * A number spelled in Chinese numerals (电话一三九八七六五四三二一, 幺三九洞两…): a run of at least 7 of them,
 * separators allowed between them (a comma too: 幺三八，幺二三四，五六七八 is one number read out in groups). Shorter
 * runs (一二年级, 三四月) are words and stay as they are, so a digit run next to them still ends where it did
 * (13812345678一直打不通). Matched on the folded copy (where a comma is still "，" and an ideographic space a " ").
 */
const CHINESE_NUMBER = /[〇零一幺二三四五六七八九洞○两拐勾](?:[ .\-/_，,]{0,3}[〇零一幺二三四五六七八九洞○两拐勾]){6,}/gu;

/** The folded text (see fold) and, for each of its units, the index of the code point of the text it came from. */
interface Folded {
  text: string;
  from: number[];
}

/** `text` folded one code point at a time (see fold): what every pattern is matched against. */
function foldText(text: string): Folded {
  let folded = '';
  const from: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = fold(ch);
    if (f) {
      folded += f;
      from.push(i);
    }
    i++;
  }
  from.push(i);
  if (!CHINESE_NUMBER.test(folded)) return { text: folded, from };
  CHINESE_NUMBER.lastIndex = 0;
  // Numerals become digits and the commas between them spaces, one unit for one: the indexes stay as they are.
  folded = folded.replace(CHINESE_NUMBER, (run) => run.replace(/./gu, (c) => SPOKEN_DIGITS[c] ?? (c === '，' || c === ',' ? ' ' : c)));
  return { text: folded, from };
}

const onlyDigits = (s: string) => s.replace(/[^\dXx]/g, '');

/** The masked form of a match, or null to leave the text of that match as it was written. */
type Masker = (match: string, ...groups: string[]) => string | null;

/**
 * Replaces every match of `pattern` in the folded text, writing the masked form over the original characters (the
 * invisible ones inside a match go with it).
 * `folded` is foldText(text) when the caller has it (several passes over a text nothing matched yet).
 */
function maskPass(text: string, pattern: RegExp, masker: Masker, folded = foldText(text)): string {
  pattern.lastIndex = 0;
  const found = pattern.test(folded.text);
  pattern.lastIndex = 0; // matchAll starts from lastIndex
  if (!found) return text;
  const chars = Array.from(text);
  let out = '';
  let last = 0;
  for (const m of folded.text.matchAll(pattern)) {
    const start = folded.from[m.index]!;
    const end = folded.from[m.index + m[0].length - 1]! + 1;
    out += chars.slice(last, start).join('') + (masker(m[0], ...(m.slice(1) as string[])) ?? chars.slice(start, end).join(''));
    last = end;
  }
  return out + chars.slice(last).join('');
}

/** The passes in order, each on the previous one's output; the text is folded again only after a pass changed it. */
function maskPasses(text: string, passes: readonly (readonly [RegExp, Masker])[]): string {
  let folded: Folded | null = null;
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

/** `run` cut into whole ID numbers and mobiles, in order, or null when it does not cut so. */
function splitRun(run: string): string[] | null {
  if (run === '') return [];
  for (const whole of [WHOLE_ID_18, WHOLE_MOBILE]) {
    const piece = whole.exec(run)?.[0];
    const rest = piece ? splitRun(run.slice(piece.length)) : null;
    if (piece && rest) return [piece, ...rest];
  }
  return null;
}
/**
 * Numbers run together: each ID number masked, each mobile kept for maskPhones (which masks it, or not in the
 * staff-only detail), a space put between them so each reads, and is matched, as the number it is.
 */
const maskRun: Masker = (run) => {
  const pieces = splitRun(run);
  return pieces && pieces.length > 1 ? pieces.map((p) => (p.length === 18 ? maskNumber(p) : p)).join(' ') : null;
};

const ID_PASSES: readonly (readonly [RegExp, Masker])[] = [
  [LONG_RUN, maskRun],
  [ID_18, maskId],
  [ID_15, maskId],
  [ID_18_UNBROKEN, maskId],
  [ID_15_UNBROKEN, maskId],
  [CREDIT_CODE, maskNumber],
  [TRAVEL_DOC, maskNumber],
  [TW_PERMIT, maskNumber],
  [PASSPORT_AFTER_WORD, maskNumber],
];

/** A phone found in text by the masker: the number (normalised as normalisePhone writes it, null for a local number
 * without its area code, which cannot be dialled from it alone), its masked form, and where that form stands in
 * `LocatedPhones.text`. */
export interface LocatedPhone {
  phone: string | null;
  masked: string;
  start: number;
  end: number;
}
/** The text with every phone masked (exactly maskPhones' result) and the phones found, in the order they stand. */
export interface LocatedPhones {
  text: string;
  phones: LocatedPhone[];
}

/** A landline's area code as written (024-, (024), +86 24, 0086(24)) as dialled at home: 0 and the code. */
const dialledArea = (written: string) => `0${onlyDigits(written).replace(/^(?:00)?86(?=\d)/, '').replace(/^0/, '')}`;

/** Each phone stands in for itself with one private-use character while the later passes run, so none reads into it. */
const PLACEHOLDER = 0xe000;
const PLACEHOLDERS = /[\uE000-\uF8FF]/u;

/**
 * The phones in `text` (mobile, landline with its area code, a local number after a phone word), found by the very
 * patterns that mask them, so every number shown masked is one found here. Text that already holds private-use
 * characters (never typed by a parent) is read by maskPhones' passes without placeholders.
 */
export function locatePhones(text: string): LocatedPhones {
  const found: { phone: string | null; masked: string }[] = [];
  const hold = (phone: string | null, masked: string) => {
    if (found.length > 0x18ff) return masked;
    found.push({ phone, masked });
    return String.fromCharCode(PLACEHOLDER + found.length - 1);
  };
  if (PLACEHOLDERS.test(text)) return { text: maskPhonesInPlace(text), phones: [] };
  let held = maskPass(text, MOBILE, (_m, prefix, head, close, rest) =>
    hold(`${onlyDigits(head!)}${onlyDigits(rest!)}`, `${prefix}${onlyDigits(head!)}${close}****${onlyDigits(rest!).slice(-4)}`),
  );
  held = maskPass(held, LANDLINE, (_m, area, rest) => hold(`${dialledArea(area!)}-${onlyDigits(rest!)}`, `${area}****${onlyDigits(rest!).slice(-2)}`));
  held = maskPass(held, LOCAL_AFTER_WORD, (_m, rest) => hold(null, `****${onlyDigits(rest!).slice(-2)}`));
  if (found.length === 0) return { text, phones: [] };
  let out = '';
  const phones: LocatedPhone[] = [];
  for (const ch of held) {
    const index = ch.charCodeAt(0) - PLACEHOLDER;
    const one = ch.length === 1 && index >= 0 && index < found.length ? found[index]! : null;
    if (!one) {
      out += ch;
      continue;
    }
    phones.push({ phone: one.phone, masked: one.masked, start: out.length, end: out.length + one.masked.length });
    out += one.masked;
  }
  return { text: out, phones };
}

/** maskPhones' passes, each writing its masked form straight into the text. */
function maskPhonesInPlace(text: string): string {
  const mobile = maskPass(text, MOBILE, (_m, prefix, head, close, rest) => `${prefix}${onlyDigits(head!)}${close}****${onlyDigits(rest!).slice(-4)}`);
  const landline = maskPass(mobile, LANDLINE, (_m, area, rest) => `${area}****${onlyDigits(rest!).slice(-2)}`);
  return maskPass(landline, LOCAL_AFTER_WORD, (_m, rest) => `****${onlyDigits(rest!).slice(-2)}`);
}

export function maskPhones(text: string): string {
  return locatePhones(text).text;
}

/**
 * The phones of citizen text as the masker reads it: ID numbers set aside first (so no piece of one is a phone), then
 * every number maskPersonalData masks as a phone, in order. Used to make the number a parent wrote the case's contact
 * before the text is stored masked.
 */
export function findPhones(text: string): LocatedPhone[] {
  return locatePhones(maskIdNumbers(text)).phones;
}

/** Mask ID numbers first (they contain phone-like runs), then phones. */
export function maskPersonalData(text: string): string {
  return maskPhones(maskIdNumbers(text));
}
