/**
 * Question similarity for the unanswered queue: normalised text compared by
 * characters and character bigrams (Dice coefficient). No segmenter and no external service,
 * so it works for any bureau's questions and is cheap enough to run over a
 * month of traffic on every `kb gaps`.
 *
 * @example
 *   const a = questionText('户口和房子不在一起，孩子去哪上学？');
 *   const b = questionText('户口跟房子不在一块 娃在哪念书');
 *   dice(grams(a), grams(b)); // ≈ 0.8
 */
import { maskPersonalData } from '../privacy/mask.js';

export type TextNormalizer = (text: string) => string;

/** Colloquial forms mapped to one canonical form before comparing (longest first). */
const CANONICAL: readonly (readonly [string, string])[] = [
  ['小孩子', '孩子'],
  ['小孩儿', '孩子'],
  ['孩儿', '孩子'],
  ['小孩', '孩子'],
  ['娃儿', '孩子'],
  ['娃', '孩子'],
  ['怎么样', '怎么'],
  ['咋样', '怎么'],
  ['怎样', '怎么'],
  ['如何', '怎么'],
  ['咋', '怎么'],
  ['念书', '上学'],
  ['读书', '上学'],
  ['入学', '上学'],
  ['户口本', '户口簿'],
  ['户口薄', '户口簿'],
  ['户籍', '户口'],
  ['一块', '一起'],
  ['一块儿', '一起'],
  ['跟', '和'],
  ['与', '和'],
  ['摇号', '派位'],
  ['教资', '教师资格'],
  ['多长时间', '多久'],
  ['多少天', '多久'],
];

/** Politeness, particles and question words that carry no topic (they made 转学/休学 look alike). */
const FILLERS = ['是不是', '怎么办', '怎么', '什么', '哪些', '能不能', '可不可以', '可以', '需要', '孩子', '请问', '你好', '您好', '麻烦', '老师', '问一下', '想问', '咨询', '一下', '那个', '就是', '我想', '我家', '我们', '的', '了', '吗', '呢', '啊', '吧', '呀', '嘛', '哈', '呐', '哦'];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const canonicalPattern = new RegExp(
  [...CANONICAL].sort((a, b) => b[0].length - a[0].length).map(([from]) => escape(from)).join('|'),
  'g',
);
const canonicalMap = new Map(CANONICAL);
const fillerPattern = new RegExp([...FILLERS].sort((a, b) => b.length - a.length).map(escape).join('|'), 'g');

/**
 * The comparable form of a question: `pre` (the knowledge engine's normaliser:
 * traditional → simplified, typo fixes) or NFKC + lower case, then colloquial
 * words mapped, personal numbers, punctuation, spaces and fillers removed. Falls back to the
 * text without filler removal when that would leave nothing, and never
 * returns an empty string.
 */
export function questionText(text: string, pre?: TextNormalizer): string {
  const base = (pre ? pre(text) : text.normalize('NFKC').toLowerCase())
    // Phone and ID numbers say nothing about the topic (and must not be compared or stored).
    .replace(/\d{6,}[\dx]?|\d{3}\*{4}\d{4}/g, '')
    .replace(/[^\p{L}\p{N}]/gu, '')
    .replace(canonicalPattern, (m) => canonicalMap.get(m) ?? m);
  // A trailing 不/没有 turns a statement into a question (能上学不): drop it, keep 不 elsewhere.
  const stripped = base.replace(fillerPattern, '').replace(/(不|没有|没)$/u, '');
  // Never empty: a message that is only a number or punctuation is still a queued message.
  return stripped || base || maskPersonalData(text).trim() || '∅';
}

/**
 * Character grams of an already normalised text: its characters and its
 * character bigrams in one set. Bigrams carry word order; the characters keep
 * short paraphrases that reorder words (幼儿园怎么报名 / 幼儿园什么时候报名) close.
 */
export function grams(text: string): Set<string> {
  const chars = [...text];
  const out = new Set(chars);
  for (let i = 0; i < chars.length - 1; i += 1) out.add(chars[i]! + chars[i + 1]!);
  return out;
}

/** Dice coefficient 2|A∩B| / (|A|+|B|), 0 for two empty sets. */
export function dice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const gram of small) if (large.has(gram)) shared += 1;
  return (2 * shared) / (a.size + b.size);
}

/** Highest similarity of `grams` to any of `others`. */
export function maxDice(grams: ReadonlySet<string>, others: Iterable<ReadonlySet<string>>): number {
  let best = 0;
  for (const other of others) best = Math.max(best, dice(grams, other));
  return best;
}
