import { ENGLISH_STOPWORDS } from './english.js';
import { loadJiebaTable } from './jieba-dictionary.js';
import { OUT_OF_SCOPE_TERMS, STOPWORDS } from './lexicon.js';
import { createNormalizer, type Normalizer } from './normalize.js';
import type { SynonymGroups } from './schema.js';
import { createSegmenter, type Segmenter } from './segmenter.js';
import { createSynonyms, withShippedLexicon, type Synonyms } from './synonyms.js';

/**
 * Turns text into index terms: normalise, segment, map synonyms to their
 * canonical form, drop stopwords and punctuation. The segmenter is chosen by
 * `mode` (docs/BENCHMARKS.md records which wins; `jieba` is the default).
 *
 * @example
 *   createAnalyzer().terms('娃的户口薄丢了') // ['孩子', '户籍', '补办']
 */
export type TokenizerMode = 'jieba' | 'segmenter' | 'bigram' | 'jieba+bigram';

export interface Analyzer {
  mode: TokenizerMode;
  normalize: Normalizer;
  /** Canonical terms in order, duplicates kept. */
  terms(text: string): string[];
  /** The normalised text and its terms, in one pass; `termsIn` reads a part of it without cutting it again. */
  analyze(text: string): AnalyzedMessage;
  /** `analyze` for many texts at once (one segmenter call: much faster for whole entries). */
  analyzeMany(texts: readonly string[]): { norm: string; terms: string[] }[];
}

export interface AnalyzedMessage {
  norm: string;
  terms: string[];
  /**
   * The terms of `norm.slice(start, end)` (a clause) as `terms` of that part alone would give them, taken from
   * this analysis's tokens; null when a token runs across `start` or `end` (then analyse the part on its own).
   */
  termsIn(start: number, end: number): string[] | null;
}

const STOP = new Set([...STOPWORDS, ...ENGLISH_STOPWORDS]);
const OUT_OF_SCOPE = new Set(OUT_OF_SCOPE_TERMS);
const WORDLIKE = /[\p{L}\p{N}]/u;
const CJK = /\p{Script=Han}/u;
const DIGITS = /^\d+$/;
/** DIGITS.test without a regular expression call for the many tokens that do not even start with a digit. */
const isNumber = (token: string): boolean => {
  const c = token.charCodeAt(0);
  return c >= 0x30 && c <= 0x39 && DIGITS.test(token);
};
/** An "A-not-A" question word (够不够, 行不行, 来没来): it asks yes or no and says nothing about the topic. */
const A_NOT_A = /^(\p{Script=Han})[不没]\1\p{Script=Han}?$/u;

const NO_TERMS: readonly string[] = [];
/** Distinct segmenter tokens whose terms an analyzer remembers (~100 bytes each). */
const TOKEN_CACHE = 50_000;

let jieba: Segmenter | undefined;
/** Words added or boosted here. */
const boosted = new Set<string>();

/**
 * One segmenter per process: segmenter.ts, which cuts exactly as @node-rs/jieba's `cut(text, false)` did
 * (tests/knowledge/segmenter.test.ts) in ~12 MB of typed arrays instead of ~30–45 MB of native memory;
 * ~200 ms to build. Words are added as lexicons need them.
 */
function sharedJieba(words: readonly string[]): Segmenter {
  // The dictionary Buffer is garbage once parsed; a word trimmed away that a lexicon needs is added below.
  jieba ??= createSegmenter(loadJiebaTable());
  const segmenter = jieba;
  // Unknown words are added; known words of 3+ characters are boosted so 一年级 beats 上一年 in 能上一年级,
  // while known 2-character words keep their frequency so 上学期 is not cut as 上学 + 期.
  // (A 2-character word added once is in `boosted`, so it is not added again.)
  const fresh = words.filter((w) => w.length > 2 || (w.length === 2 && !segmenter.has(w))).filter((w) => !boosted.has(w));
  if (fresh.length > 0) {
    fresh.forEach((w) => boosted.add(w));
    segmenter.addWords(fresh.map((w) => `${w} 200000`).join('\n'));
  }
  return segmenter;
}

/** ICU's word segmenter, made on first use: only the 'segmenter' mode uses it, and creating it maps ICU's zh word-break data (~1–2 MB of RSS). */
let icuSegmenter: Intl.Segmenter | undefined;

/** The runs bigram mode cuts: Han (into bigrams), anything else but spaces, newlines (analyzeMany's separator). */
const BIGRAM_RUNS = /\p{Script=Han}+|[^\p{Script=Han}\s]+|\n/gu;

function bigrams(token: string): string[] {
  if (!CJK.test(token) || token.length < 2) return [token];
  const out: string[] = [];
  for (let i = 0; i + 1 < token.length; i++) out.push(token.slice(i, i + 2));
  return out;
}

export function createAnalyzer(extra?: SynonymGroups, mode: TokenizerMode = 'jieba'): Analyzer {
  const lexicon = withShippedLexicon(extra);
  const normalize = createNormalizer(lexicon.typos);
  const synonyms = createSynonyms(lexicon.groups, normalize);
  const cut = segmentFn(mode, synonyms);
  const cutAt = locatedSegmentFn(mode, cut);
  const known = new Set(synonyms.words);
  const feeTerm = synonyms.map('费用') ?? ['费用'];
  /**
   * A word the lexicon does not know that contains another authority's business is read as that
   * business: 医保卡 → 医保, 考驾照 → 驾照; an unknown word ending in 费 is a fee (资料费 → 收费). (Reading other compounds by their tail, 交学费 → 收费, cost more
   * than it gained: 中小学 → 小学, 大学生 → 学生.)
   */
  const compound = (token: string): readonly string[] | undefined => {
    if (!CJK.test(token) || OUT_OF_SCOPE.has(token)) return undefined;
    if (token.length >= 2 && token.endsWith('费')) return feeTerm; // 资料费, 餐费 → 收费
    if (token.length < 3) return undefined;
    for (let length = token.length - 1; length >= 2; length--) {
      for (let start = 0; start + length <= token.length; start++) {
        const part = token.slice(start, start + length);
        if (OUT_OF_SCOPE.has(part)) return [part];
      }
    }
    return undefined;
  };
  /** A segmenter token's index terms (none for punctuation, stopwords and yes-no question words). */
  const termsOfToken = (raw: string): readonly string[] => {
    const token = raw.trim();
    if (!token || !WORDLIKE.test(token) || A_NOT_A.test(token)) return NO_TERMS;
    const mapped = synonyms.map(token) ?? (known.has(token) ? undefined : compound(token));
    const terms = (mapped ?? [token]).filter((term) => !STOP.has(term));
    return terms.length === 0 ? NO_TERMS : terms;
  };
  // Tokens repeat (Zipf): a whole knowledge base has a few tens of thousands of distinct ones, so each is
  // mapped once. Bounded, so a stream of unseen tokens (parents' messages) cannot grow it without end.
  const tokenTerms = new Map<string, readonly string[]>();
  const pushTerms = (raw: string, out: string[]): void => {
    let terms = tokenTerms.get(raw);
    if (terms === undefined) {
      if (tokenTerms.size >= TOKEN_CACHE) tokenTerms.clear();
      tokenTerms.set(raw, (terms = termsOfToken(raw)));
    }
    for (let i = 0; i < terms.length; i++) out.push(terms[i]!);
  };
  /** Adds the 'jieba+bigram' mode's bigrams of the longer terms to a text's terms. */
  const withBigrams = (tokens: string[]): string[] =>
    mode === 'jieba+bigram' ? [...tokens, ...tokens.flatMap((t) => (t.length > 2 ? bigrams(t) : []))] : tokens;
  function analyzeMany(texts: readonly string[]): { norm: string; terms: string[] }[] {
    // normalize() turns every newline into a space, so "\n" safely separates the texts in one segmenter call.
    const norms = texts.map(normalize);
    const terms: string[][] = norms.map(() => []);
    let text = 0;
    // The text's last token, mapped once the next one shows it is not a number going on.
    let pending: string | null = null;
    for (const token of cut(norms.join('\n'))) {
      if (token === '\n') {
        if (pending !== null) pushTerms(pending, terms[text]!);
        pending = null;
        text++;
      } else if (pending !== null && isNumber(token) && isNumber(pending)) {
        pending += token; // a number the segmenter cut around a lexicon word (1234567 → 12345 + 67) is one number again
      } else {
        if (pending !== null) pushTerms(pending, terms[text]!);
        pending = token;
      }
    }
    if (pending !== null) pushTerms(pending, terms[text]!);
    return norms.map((norm, i) => ({ norm, terms: withBigrams(terms[i]!) }));
  }
  /**
   * `analyzeMany([text])[0]`, remembering where each token lies in `norm`, so that a long message's clauses
   * (clauses.ts) need no second segmenter call: a part whose ends no token runs across segments as the same
   * tokens (the segmenters cut runs of Han, letters and digits independently of what lies around them).
   */
  function analyze(text: string): AnalyzedMessage {
    const norm = normalize(text);
    const located = cutAt(norm);
    const { tokens } = located;
    const starts = located.starts ?? tokens.map(() => 0);
    const base: string[] = [];
    // The offset of each term's token in `norm`, and each token's span (numbers joined again count as one).
    const termStarts: number[] = [];
    const spans: number[] = [];
    let pending: string | null = null;
    let pendingStart = 0;
    let pendingEnd = 0;
    const flush = () => {
      const before = base.length;
      pushTerms(pending!, base);
      for (let k = before; k < base.length; k++) termStarts.push(pendingStart);
      spans.push(pendingStart, pendingEnd);
    };
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (pending !== null && isNumber(token) && isNumber(pending)) {
        pending += token; // a number the segmenter cut around a lexicon word is one number again (as in analyzeMany)
      } else {
        if (pending !== null) flush();
        pending = token;
        pendingStart = starts[i]!;
      }
      pendingEnd = starts[i]! + token.length;
    }
    if (pending !== null) flush();
    const crossed = (at: number) => {
      for (let k = 0; k < spans.length; k += 2) if (spans[k]! < at && at < spans[k + 1]!) return true;
      return false;
    };
    return {
      norm,
      terms: withBigrams(base),
      termsIn(start, end) {
        if (!located.starts || crossed(start) || crossed(end)) return null;
        const part: string[] = [];
        for (let k = 0; k < base.length; k++) if (termStarts[k]! >= start && termStarts[k]! < end) part.push(base[k]!);
        return withBigrams(part);
      },
    };
  }
  return {
    mode,
    normalize,
    terms: (text) => analyzeMany([text])[0]!.terms,
    analyze,
    analyzeMany,
  };
}

function segmentFn(mode: TokenizerMode, synonyms: Synonyms): (text: string) => string[] {
  if (mode === 'segmenter') {
    const icu = (icuSegmenter ??= new Intl.Segmenter('zh', { granularity: 'word' }));
    return (text) => [...icu.segment(text)].map((s) => s.segment);
  }
  if (mode === 'bigram') return (text) => (text.match(BIGRAM_RUNS) ?? []).flatMap(bigrams);
  // Other authorities' words stay whole too (落户口 is not 落 + 户口).
  // Words of letters only (the English lexicon) are not added: the segmenter keeps a run of letters whole anyway,
  // and every added word shifts the dictionary's total frequency, which would re-cut Chinese text.
  const j = sharedJieba([...synonyms.words, ...OUT_OF_SCOPE_TERMS].filter((w) => !/^[a-z0-9 '-]+$/i.test(w)));
  return (text) => j.cut(text);
}

/**
 * `cut` with each token's offset in the text (null if they cannot be told). jieba and ICU return every character of
 * the text in order (the offsets add up); bigram mode drops spaces and overlaps its bigrams, so it finds its runs
 * again with their offsets.
 */
function locatedSegmentFn(mode: TokenizerMode, cut: (text: string) => string[]): (text: string) => { tokens: string[]; starts: number[] | null } {
  if (mode === 'bigram') {
    return (text) => {
      const tokens: string[] = [];
      const starts: number[] = [];
      for (const m of text.matchAll(BIGRAM_RUNS)) {
        const run = bigrams(m[0]);
        run.forEach((token, i) => {
          tokens.push(token);
          starts.push(m.index + (run.length > 1 ? i : 0));
        });
      }
      return { tokens, starts };
    };
  }
  return (text) => {
    const tokens = cut(text);
    const starts: number[] = [];
    let at = 0;
    for (const token of tokens) {
      starts.push(at);
      at += token.length;
    }
    return { tokens, starts: at === text.length ? starts : null };
  };
}
