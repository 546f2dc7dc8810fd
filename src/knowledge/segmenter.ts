import { createWordTable, type WordTable } from './word-table.js';

/**
 * A pure-TypeScript port of jieba-rs's `cut(text, false)` (no HMM), as `@node-rs/jieba` 2.0.3 bundles it
 * (jieba-rs 0.10): same blocks, same dictionary route, same ties, same tokens, in ~12 MB of RSS instead of the
 * 31–45 MB of native memory jieba-rs takes for its dictionary. tests/knowledge/segmenter.test.ts compares
 * it with the native addon on every text we have and on random strings.
 *
 * What jieba-rs does, and this does too:
 * - Split the text into runs of "Han" characters (CJK ideographs of the main block and of extensions
 *   A–F and the compatibility blocks, ASCII letters and digits, `+#&._%-`) and runs of anything else.
 * - A run of anything else is cut into single characters, except that "\r\n" stays one token.
 * - In a Han run, every dictionary word starting at each character is a step; a character where no word
 *   starts is a step of its own with frequency 1. The route maximises the sum of ln(freq) − ln(total),
 *   computed from the end, each step adding (ln freq − ln total) to the best route after it; of equal
 *   routes the longer first step wins. Single ASCII letters/digits left by the route are joined.
 * - `addWords` is `load_dict`: a new word is added, a known word gets the new frequency, and the total is
 *   the sum of all frequencies.
 *
 * @example
 *   const seg = createSegmenter(readFileSync(require.resolve('@node-rs/jieba/dict.txt')));
 *   seg.addWords('一年级 200000');
 *   seg.cut('能上一年级吗？abc'); // ['能', '上', '一年级', '吗', '？', 'abc']
 */
export interface Segmenter {
  /** "word frequency [tag]" lines, as jieba's `loadDict` takes them. */
  addWords(lines: string): void;
  /** What `jieba.cut(Buffer.from(text), false)` returns. */
  cut(text: string): string[];
  /** Whether `word` is in the dictionary (as a word, not only as the start of one). */
  has(word: string): boolean;
  readonly size: number;
}

/** ES2024 string methods (Node 20 has them; the project's `lib` is ES2022). */
type WellFormed = string & { isWellFormed(): boolean; toWellFormed(): string };

/** Rust's `char::is_whitespace`, which `split_whitespace` splits on. */
const isSpace = (c: number): boolean =>
  (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;

const isAsciiAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** jieba-rs `is_han_default`, on a code point. */
function isHan(c: number): boolean {
  if (c >= 0x4e00 && c <= 0x9fff) return true;
  if (c < 0x80) return isAsciiAlnum(c) || c === 0x2b || c === 0x23 || c === 0x26 || c === 0x2e || c === 0x5f || c === 0x25 || c === 0x2d;
  return (
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0x20000 && c <= 0x2a6df) ||
    (c >= 0x2a700 && c <= 0x2ebef) || // extensions C, D, E, F (2A700–2B73F, 2B740–2B81F, 2B820–2CEAF, 2CEB0–2EBEF)
    (c >= 0x2f800 && c <= 0x2fa1f)
  );
}

/** Slots of the segmenter's cache of word strings (a power of two). */
const WORD_STRINGS = 16384;
/** Longer words are not cached: V8 makes a slice of 13+ units a view that would keep the whole text alive. */
const MAX_CACHED_UNITS = 12;

/** Parses `load_dict` lines into the table: first token the word, second its frequency (0 when missing). */
function loadLines(table: WordTable, text: string): void {
  let lineNo = 0;
  for (let from = 0; from < text.length; ) {
    let end = text.indexOf('\n', from);
    if (end === -1) end = text.length;
    lineNo++;
    let i = from;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    const wordStart = i;
    while (i < end && !isSpace(text.charCodeAt(i))) i++;
    if (i > wordStart) {
      const word = text.slice(wordStart, i);
      while (i < end && isSpace(text.charCodeAt(i))) i++;
      const freqStart = i;
      while (i < end && !isSpace(text.charCodeAt(i))) i++;
      const token = text.slice(freqStart, i);
      if (token !== '' && !/^\+?\d+$/.test(token)) throw new Error(`segmenter: line ${lineNo} "${text.slice(from, end)}": frequency ${token} is not a valid integer`);
      const frequency = token === '' ? 0 : Number(token.replace('+', ''));
      if (!Number.isSafeInteger(frequency)) throw new Error(`segmenter: line ${lineNo}: frequency ${token} is too large`);
      table.set(word, frequency);
    }
    from = end + 1;
  }
}

/** The word table of a jieba dictionary's text (what precompile.ts saves, so a start skips this). */
export function dictionaryTable(dictionary: Uint8Array): WordTable {
  let lines = 0;
  for (let i = 0; i < dictionary.length; i++) if (dictionary[i] === 0x0a) lines++;
  const table = createWordTable(lines + 1);
  loadLines(table, Buffer.from(dictionary.buffer, dictionary.byteOffset, dictionary.byteLength).toString('utf8'));
  return table;
}

/** A segmenter over a dictionary's text, or over a word table already made from one (dictionaryTable). */
export function createSegmenter(dictionary: Uint8Array | WordTable): Segmenter {
  const table = dictionary instanceof Uint8Array ? dictionaryTable(dictionary) : dictionary;

  // The route of the current block, indexed by UTF-16 offset in the block (reused from call to call).
  let prob = new Float64Array(256);
  let next = new Int32Array(256);
  let words = new Int32Array(256);
  /**
   * The last string made for each dictionary word, by word id modulo the size: a word cut again is the same
   * string, not a new one. Most tokens of a text are dictionary words repeating by Zipf's law, so an index
   * build makes a few thousand token strings instead of millions (garbage for the collector, and new strings
   * to hash for every lookup of a token downstream). Direct-mapped and fixed, so it never grows.
   */
  const cachedIds = new Int32Array(WORD_STRINGS).fill(-1);
  const cachedStrings = new Array<string>(WORD_STRINGS).fill('');
  const wordString = (text: string, from: number, to: number, id: number): string => {
    if (id < 0 || to - from > MAX_CACHED_UNITS) return text.slice(from, to);
    const at = id & (WORD_STRINGS - 1);
    if (cachedIds[at] !== id) {
      cachedIds[at] = id;
      cachedStrings[at] = text.slice(from, to);
    }
    return cachedStrings[at]!;
  };
  function cutBlock(text: string, start: number, end: number, out: string[]): void {
    const n = end - start;
    if (n + 1 > prob.length) [prob, next, words] = [new Float64Array(2 * n + 2), new Int32Array(2 * n + 2), new Int32Array(2 * n + 2)];
    table.bestRoute(text, start, end, prob, next, words);
    let left = -1;
    for (let x = start; x < end; ) {
      const y = next[x - start]!;
      if (y - x === 1 && isAsciiAlnum(text.charCodeAt(x))) {
        if (left === -1) left = x;
      } else {
        if (left !== -1) out.push(text.slice(left, x));
        left = -1;
        out.push(wordString(text, x, y, words[x - start]!));
      }
      x = y;
    }
    if (left !== -1) out.push(text.slice(left, end));
  }

  function cut(input: string): string[] {
    // Buffer.from(text) turns a lone surrogate into U+FFFD before jieba sees it.
    const text = (input as WellFormed).isWellFormed() ? input : (input as WellFormed).toWellFormed();
    const out: string[] = [];
    for (let i = 0; i < text.length; ) {
      const han = isHan(text.codePointAt(i)!);
      let j = i;
      while (j < text.length) {
        const c = text.codePointAt(j)!;
        if (isHan(c) !== han) break;
        j += c > 0xffff ? 2 : 1;
      }
      if (han) cutBlock(text, i, j, out);
      else {
        for (let k = i; k < j; ) {
          const c = text.codePointAt(k)!;
          const width = c === 0x0d && text.charCodeAt(k + 1) === 0x0a ? 2 : c > 0xffff ? 2 : 1;
          out.push(text.slice(k, k + width));
          k += width;
        }
      }
      i = j;
    }
    return out;
  }

  return {
    addWords: (lines) => loadLines(table, lines),
    cut,
    has: (word) => table.frequency(word) !== undefined,
    get size() {
      return table.size;
    },
  };
}
