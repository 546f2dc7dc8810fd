import * as OpenCC from 'opencc-js/t2cn';
import { replaceEnglishPhrases } from './english.js';

/**
 * Text normalisation applied to knowledge files and to messages alike:
 * NFKC (full-width → half-width), lower case, traditional → simplified
 * Chinese, English phrases to their Chinese terms (english.ts), then typo/homophone fixes (户口薄 → 户口簿).
 *
 * @example
 *   const norm = createNormalizer([['学藉', '学籍']]);
 *   norm('ＡＢＣ學藉') // 'abc学籍'
 */
let t2s: ((s: string) => string) | undefined;

/**
 * opencc-js's traditional → simplified converter, one per process: each holds its dictionaries as a 1.3 MB
 * trie, and knowledge normalisation and the intent rules (core/intents/compile.ts) convert alike.
 */
export function traditionalToSimplified(): (text: string) => string {
  return (t2s ??= OpenCC.Converter({ from: 't', to: 'cn' }));
}
/**
 * Per BMP code unit: does OpenCC change it (0 not asked yet, 1 no, 2 yes)? Most simplified text has no such
 * character and skips conversion; a typed array instead of a Map, as every character of every entry is looked up.
 */
const bmpChanges = new Uint8Array(0x10000);
/** The same for characters outside the BMP (a surrogate pair). */
const astralChanges = new Map<string, boolean>();

function toSimplified(text: string): string {
  const convert = traditionalToSimplified();
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x2e80) continue;
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      const ch = text.slice(i, i + 2);
      i++;
      let changed = astralChanges.get(ch);
      if (changed === undefined) astralChanges.set(ch, (changed = convert(ch) !== ch));
      if (changed) return convert(text);
      continue;
    }
    let state = bmpChanges[unit]!;
    if (state === 0) {
      const ch = String.fromCharCode(unit);
      bmpChanges[unit] = state = convert(ch) !== ch ? 2 : 1;
    }
    if (state === 2) return convert(text);
  }
  return text;
}

export type Normalizer = (text: string) => string;

export function createNormalizer(typos: readonly (readonly [string, string])[]): Normalizer {
  const sorted = [...typos].filter(([from]) => from.length > 0).sort((a, b) => b[0].length - a[0].length);
  const pattern = sorted.length > 0 ? new RegExp(sorted.map(([from]) => escapeRegExp(from)).join('|'), 'g') : null;
  const map = new Map(sorted.map(([from, to]) => [from, to] as const));
  return (text) => {
    let s = replaceEnglishPhrases(toSimplified(text.normalize('NFKC').toLowerCase()));
    if (pattern) s = s.replace(pattern, (m) => map.get(m) ?? m);
    return s.replace(/\s+/g, ' ').trim();
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
