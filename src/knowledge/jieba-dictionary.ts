import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * jieba's shipped dictionary (`@node-rs/jieba/dict.txt`, 349,045 lines of `word frequency [tag]`), read
 * directly and optionally trimmed by frequency, with the sorted codes of its 2-character words. Only the
 * file is used at run time: segmenter.ts cuts with it; the native addon is the tests' reference.
 *
 * @example
 *   const { dict, twoCharWords } = loadJiebaDictionary();
 *   const segmenter = createSegmenter(dict); // then drop `dict`: the segmenter keeps its own tables
 *   hasTwoCharWord(twoCharWords, '户口'); // true (tokenize.ts asks segmenter.has instead)
 */

/**
 * Words rarer than this are left out of jieba. 2 (the file's lowest frequency) keeps every word.
 *
 * Why not trim: measured 2026-11-28 (docs/BENCHMARKS.md, "jieba dictionary"). Trimming saves native memory
 * (RSS after `Jieba.withDict`: all words ~47 MB; ≥ 4 → 36 MB; ≥ 5 → 28–34 MB; ≥ 10 → 23 MB), but from
 * 4 up it drops words that decide how parents' questions are cut (溪湖 3, 转到 3, 先读 3): third-bureau
 * hit@1 0.931 → 0.917, and four tests of tests/knowledge change. ≥ 3 (drops the 40,502 words of
 * frequency 2) leaves every answer unchanged but not the memory: RSS was 45 or 69 MB from run to run,
 * no better than 47 with every word. Raise this only after the same measurement. (Since 2026-11-28 the
 * words live in segmenter.ts's typed arrays, ~12 MB for all of them, so trimming would save little.)
 */
export const MIN_WORD_FREQUENCY = 2;

export interface JiebaDictionary {
  /** The kept lines, in the file's order, each ending in "\n". */
  dict: Buffer;
  /** The kept 2-character words (UTF-16 units) as sorted codes (first unit << 16 | second unit). */
  twoCharWords: Uint32Array;
  /** How many words were kept. */
  words: number;
}

const NEWLINE = 0x0a;
const SPACE = 0x20;
const ZERO = 0x30;
const NINE = 0x39;

export const twoCharCode = (w: string): number => ((w.charCodeAt(0) << 16) | w.charCodeAt(1)) >>> 0;

/** Whether `word` (2 UTF-16 units) is among the sorted `codes`. */
export function hasTwoCharWord(codes: Uint32Array, word: string): boolean {
  const code = twoCharCode(word);
  let lo = 0;
  let hi = codes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (codes[mid] === code) return true;
    if (codes[mid]! < code) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The frequency after the first space of the line [start, end), or undefined when the line has none. */
function frequencyAt(bytes: Uint8Array, space: number, end: number): number | undefined {
  let i = space + 1;
  let n = 0;
  for (; i < end && bytes[i]! >= ZERO && bytes[i]! <= NINE; i++) n = n * 10 + bytes[i]! - ZERO;
  return i === space + 1 ? undefined : n;
}

/** The word [start, end) as a 2-unit code, or -1 when it is not exactly 2 UTF-16 units long; decoded from the UTF-8 bytes. */
function twoUnitCode(bytes: Uint8Array, start: number, end: number): number {
  if (end - start > 6) return -1; // 2 units take at most 6 bytes (two 3-byte characters)
  const units: number[] = [];
  for (let i = start; i < end && units.length <= 2; ) {
    const b = bytes[i]!;
    let cp: number;
    if (b < 0x80) [cp, i] = [b, i + 1];
    else if (b < 0xe0) [cp, i] = [((b & 0x1f) << 6) | (bytes[i + 1]! & 0x3f), i + 2];
    else if (b < 0xf0) [cp, i] = [((b & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f), i + 3];
    else [cp, i] = [((b & 0x07) << 18) | ((bytes[i + 1]! & 0x3f) << 12) | ((bytes[i + 2]! & 0x3f) << 6) | (bytes[i + 3]! & 0x3f), i + 4];
    if (cp > 0xffff) units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
    else units.push(cp);
  }
  return units.length === 2 ? ((units[0]! << 16) | units[1]!) >>> 0 : -1;
}

/**
 * Keeps the lines of a jieba dictionary whose frequency is at least `minFrequency` (lines without a
 * frequency are kept), scanning the bytes: no string is made for the file or for any line.
 *
 * @example
 *   filterDictionary(Buffer.from('户口 4 n\n户口簿 3 n\n'), 4).dict.toString() // '户口 4 n\n'
 */
export function filterDictionary(source: Uint8Array, minFrequency = MIN_WORD_FREQUENCY): JiebaDictionary {
  const out = Buffer.allocUnsafe(source.length + 1);
  const codes: number[] = [];
  let size = 0;
  let words = 0;
  for (let start = 0; start < source.length; ) {
    let end = source.indexOf(NEWLINE, start);
    if (end === -1) end = source.length;
    let wordEnd = start;
    while (wordEnd < end && source[wordEnd] !== SPACE) wordEnd++;
    const frequency = wordEnd === end ? undefined : frequencyAt(source, wordEnd, end);
    if (wordEnd > start && (frequency === undefined || frequency >= minFrequency)) {
      out.set(source.subarray(start, end), size);
      size += end - start;
      out[size++] = NEWLINE;
      words++;
      const code = twoUnitCode(source, start, wordEnd);
      if (code !== -1) codes.push(code);
    }
    start = end + 1;
  }
  // No copy: the caller hands `dict` to jieba and drops it, and the whole working buffer goes with it.
  return { dict: out.subarray(0, size), twoCharWords: Uint32Array.from(codes).sort(), words };
}

/**
 * Reads `@node-rs/jieba/dict.txt` itself (not `@node-rs/jieba/dict.js`, which also reads the 6 MB
 * `idf.txt` and keeps both files alive for the life of the process) and trims it.
 */
export function loadJiebaDictionary(minFrequency = MIN_WORD_FREQUENCY): JiebaDictionary {
  const require = createRequire(import.meta.url);
  return filterDictionary(readFileSync(require.resolve('@node-rs/jieba/dict.txt')), minFrequency);
}
