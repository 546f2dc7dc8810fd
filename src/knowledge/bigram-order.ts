import { createBm25Builder } from './bm25-postings.js';
import { createTopK } from './bm25-top-k.js';
import type { KnowledgeEntry } from './schema.js';

/**
 * A second, independent order of the knowledge base: BM25 over the character bigrams of each entry's title,
 * questions, tags and body (the plain baseline of bench/kb-peers.ts, its fields and tokens), with no segmenter,
 * lexicon or synonym. index.ts fuses it into the ranking's order (issue 14, fuse19–fuse23): it ranks a typo or a
 * paraphrase whose words the segmenter cuts otherwise (教育句的地址) by the characters the parent did type.
 *
 * Built with the index's own typed-array postings and top-k scorer (bm25-postings.ts, bm25-top-k.ts), each bigram
 * once per field (no per-posting frequencies on a large base); built only when the fusion weight is above 0.
 */

/** Han characters as overlapping bigrams (a lone character stays), Latin words and numbers whole. */
export function bigramTokens(text: string): string[] {
  const out: string[] = [];
  for (const run of text.toLowerCase().match(/\p{Script=Han}+|[a-z0-9]+/gu) ?? []) {
    if (!/\p{Script=Han}/u.test(run) || run.length === 1) out.push(run);
    else for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  }
  return out;
}

/** Fields in MiniSearch's order, each boosted 1 (the baseline's defaults). */
const FIELDS = 4;
const BOOSTS = [1, 1, 1, 1] as const;

export interface BigramOrder {
  /** The `k` entries (by the order they were added) scoring highest for `text`'s bigrams, best first. */
  best(text: string, k: number): { doc: number; score: number }[];
}

export interface BigramOrderBuilder {
  add(entry: KnowledgeEntry): void;
  finish(): BigramOrder;
}

export function createBigramOrder(): BigramOrderBuilder {
  const ids = new Map<string, number>();
  const intern = (token: string) => {
    let id = ids.get(token);
    if (id === undefined) ids.set(token, (id = ids.size));
    return id;
  };
  const builder = createBm25Builder(FIELDS, intern, { distinct: true });
  return {
    add(entry) {
      builder.add([[bigramTokens(entry.title)], [bigramTokens(entry.questions.join(' '))], [bigramTokens(entry.tags.join(' '))], [bigramTokens(entry.body)]]);
    },
    finish() {
      const topK = createTopK(builder.finish(), BOOSTS, (token) => ids.get(token));
      return { best: (text, k) => topK.search(bigramTokens(text).join(' '), k) };
    },
  };
}
