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
/** Per character: does OpenCC change it? Most simplified text has no such character and skips conversion. */
const changes = new Map<string, boolean>();

function toSimplified(text: string): string {
  const convert = (t2s ??= OpenCC.Converter({ from: 't', to: 'cn' }));
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x2e80) continue;
    let changed = changes.get(ch);
    if (changed === undefined) {
      changed = convert(ch) !== ch;
      changes.set(ch, changed);
    }
    if (changed) return convert(text);
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
