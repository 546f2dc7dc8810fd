import { ENGLISH_WORDS } from './english.js';
import { SYNONYM_GROUPS, TYPOS } from './lexicon.js';
import type { Normalizer } from './normalize.js';
import type { SynonymGroups } from './schema.js';

/**
 * Synonym handling: every variant maps to the canonical terms of its group
 * (the group's first word, split on spaces). Applied to tokens, so 上学期 is
 * not turned into 入学期 just because it contains 上学.
 *
 * @example
 *   const syn = createSynonyms(withShippedLexicon(), (s) => s);
 *   syn.map('娃') // ['孩子']
 */
export interface Synonyms {
  /** Canonical terms for a token, or undefined when it is not a variant. */
  map(token: string): readonly string[] | undefined;
  /** Every word (variants and canonical forms) a segmenter should keep whole. */
  words: readonly string[];
}

/** The shipped lexicon (Chinese, then English words for Chinese terms) plus a bureau's own additions. */
export function withShippedLexicon(extra?: SynonymGroups): SynonymGroups {
  return {
    groups: [...SYNONYM_GROUPS.map((g) => [...g]), ...ENGLISH_WORDS.map((g) => [...g]), ...(extra?.groups ?? [])],
    typos: [...TYPOS.map(([a, b]) => [a, b] as [string, string]), ...(extra?.typos ?? [])],
  };
}

export function createSynonyms(groups: readonly (readonly string[])[], normalize: Normalizer): Synonyms {
  const table = new Map<string, string[]>();
  const words = new Set<string>();
  for (const group of groups) {
    const [head, ...rest] = group.map(normalize).filter(Boolean);
    if (!head) continue;
    const canonical = head.split(' ').filter(Boolean);
    canonical.forEach((w) => words.add(w));
    // A word already mapped by an earlier group keeps its first meaning.
    if (canonical.length > 1 && !table.has(head.replace(/ /g, ''))) table.set(head.replace(/ /g, ''), canonical);
    for (const variant of rest) {
      const key = variant.replace(/ /g, '');
      words.add(key);
      if (!table.has(key) && !(canonical.length === 1 && canonical[0] === key)) table.set(key, canonical);
    }
  }
  return { map: (token) => table.get(token), words: [...words] };
}
