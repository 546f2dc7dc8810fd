import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cacheDir, readArrays, sourceStamp, writeArrays } from './binary-cache.js';
import { dictionaryTable } from './segmenter.js';
import { createWordTable, type WordTable } from './word-table.js';

/**
 * jieba's shipped dictionary (`@node-rs/jieba/dict.txt`, 349,045 lines of `word frequency [tag]`), read
 * directly and optionally trimmed by frequency. Only the file is used at run time: segmenter.ts cuts with
 * it; the native addon is the tests' reference.
 *
 * @example
 *   const { dict } = loadJiebaDictionary();
 *   const segmenter = createSegmenter(dict); // then drop `dict`: the segmenter keeps its own tables
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
  /** How many words were kept. */
  words: number;
}

const NEWLINE = 0x0a;
const SPACE = 0x20;
const ZERO = 0x30;
const NINE = 0x39;

/** The frequency after the first space of the line [start, end), or undefined when the line has none. */
function frequencyAt(bytes: Uint8Array, space: number, end: number): number | undefined {
  let i = space + 1;
  let n = 0;
  for (; i < end && bytes[i]! >= ZERO && bytes[i]! <= NINE; i++) n = n * 10 + bytes[i]! - ZERO;
  return i === space + 1 ? undefined : n;
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
    }
    start = end + 1;
  }
  // No copy: the caller hands `dict` to jieba and drops it, and the whole working buffer goes with it.
  return { dict: out.subarray(0, size), words };
}

/**
 * Reads `@node-rs/jieba/dict.txt` itself (not `@node-rs/jieba/dict.js`, which also reads the 6 MB
 * `idf.txt` and keeps both files alive for the life of the process) and trims it.
 */
export function loadJiebaDictionary(minFrequency = MIN_WORD_FREQUENCY): JiebaDictionary {
  const require = createRequire(import.meta.url);
  return filterDictionary(readFileSync(require.resolve('@node-rs/jieba/dict.txt')), minFrequency);
}

const TABLE_FORMAT = 1;
/**
 * Words a process adds to jieba's after loading it (the lexicons' and a bureau's synonyms: 560 with the sample
 * knowledge, see sharedJieba in tokenize.ts); more than this only costs one copy of the grown arrays.
 */
const ADDED_WORDS = 4096;
const tablePath = () => join(cacheDir(), 'jieba-dict.bin');
const dictPath = () => createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt');
const tableMeta = () => ({ format: TABLE_FORMAT, minFrequency: MIN_WORD_FREQUENCY, source: sourceStamp(dictPath()) });

/**
 * jieba's dictionary as the segmenter's word table: read from the file `npm run build` precompiled
 * (precompile.ts; typed arrays read as they lie in the file, nothing parsed), or built from dict.txt when
 * that file is missing or was made from another dict.txt. The word arrays get room for ADDED_WORDS more words,
 * so the lexicon's and synonyms' words join without a copy of the 4 MB they would otherwise outgrow.
 */
export function loadJiebaTable(): WordTable {
  const cached = readArrays(tablePath(), tableMeta(), [ADDED_WORDS * 4, ADDED_WORDS, ADDED_WORDS, 0]);
  if (cached) {
    const [units, starts, logFreqs, slots] = cached.arrays as [Uint16Array, Uint32Array, Float64Array, Int32Array];
    const { count, total, bits, entries } = cached.meta as { count: number; total: number; bits: number; entries: number };
    return createWordTable(count, { units, starts, logFreqs, slots, count, total, bits, entries });
  }
  return dictionaryTable(loadJiebaDictionary().dict);
}

/** Writes the precompiled word table unless the one there is for this dict.txt; returns its path. */
export function precompileJiebaTable(): string {
  if (readArrays(tablePath(), tableMeta())) return tablePath();
  const state = dictionaryTable(loadJiebaDictionary().dict).state();
  const { units, starts, logFreqs, slots, ...counts } = state;
  writeArrays(tablePath(), { ...tableMeta(), ...counts }, [units, starts, logFreqs, slots]);
  return tablePath();
}
