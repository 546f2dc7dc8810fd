import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { createTopK } from '../../src/knowledge/bm25-top-k.js';
import { freezePostings } from '../../src/knowledge/frozen-postings.js';

/**
 * The top-k scorer must return exactly what MiniSearch's search returns, cut to k: the same documents,
 * in the same order (ties included), with bit-identical scores. Checked on random documents and queries
 * drawn from a small vocabulary, so that common terms, shared field lengths and tied scores are frequent.
 */
const BOOSTS = { title: 3, questions: 3, tags: 2, headings: 1.5, body: 1 } as const;
type Doc = { id: string } & Record<keyof typeof BOOSTS, string>;

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Word i is drawn with probability ∝ 1/(i+1): a few words are in most documents, most in few. */
function corpus(seed: number, size: number, vocabulary: number, { dedupe }: { dedupe: boolean }): Doc[] {
  const next = random(seed);
  const word = () => `w${Math.floor(vocabulary ** next()) - 1}`;
  const text = (max: number) => {
    const words = Array.from({ length: 1 + Math.floor(next() * max) }, word);
    return (dedupe ? [...new Set(words)] : words).join(' ');
  };
  return Array.from({ length: size }, (_, i) => ({ id: `d${i}`, title: text(4), questions: text(8), tags: next() < 0.5 ? '' : text(3), headings: text(6), body: text(40) }));
}

function build(docs: Doc[], freeze: boolean): MiniSearch<Doc> {
  const mini = new MiniSearch<Doc>({
    fields: Object.keys(BOOSTS),
    tokenize: (text) => text.split(' '),
    processTerm: (term) => term || null,
    searchOptions: { boost: { ...BOOSTS }, combineWith: 'OR', prefix: false, fuzzy: false },
  });
  for (let i = 0; i < docs.length; i += 100) {
    mini.addAll(docs.slice(i, i + 100));
    if (freeze) freezePostings(mini, { trim: false });
  }
  if (freeze) freezePostings(mini);
  return mini;
}

function queries(seed: number, count: number, vocabulary: number): string[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const n = 1 + Math.floor(next() * 6);
    return Array.from({ length: n }, () => `w${Math.floor(vocabulary ** next()) - 1}`).join(' ') + (next() < 0.1 ? ' nosuchword' : '');
  });
}

describe('createTopK', () => {
  for (const { freeze, dedupe } of [
    { freeze: true, dedupe: true },
    { freeze: false, dedupe: true },
    { freeze: true, dedupe: false },
  ]) {
    it(`returns MiniSearch's top k bit for bit (${freeze ? 'frozen' : 'Map'} postings, ${dedupe ? 'each term once per field' : 'repeated terms'})`, () => {
      const docs = corpus(7, 600, 300, { dedupe });
      const mini = build(docs, freeze);
      const topK = createTopK(mini, BOOSTS)!;
      expect(topK).not.toBeNull();
      for (const q of queries(11, 120, 300)) {
        const all = mini.search(q).map((r) => ({ doc: Number(String(r.id).slice(1)), score: r.score }));
        for (const k of [1, 5, 20]) expect(topK.search(q, k), `${q} (k=${k})`).toEqual(all.slice(0, k));
      }
    });
  }

  it('scores a query that repeats a term as MiniSearch does (added twice, counted once)', () => {
    const mini = build(corpus(3, 300, 50, { dedupe: true }), true);
    const topK = createTopK(mini, BOOSTS)!;
    for (const q of ['w1 w1', 'w0 w2 w0', 'w5  w5 w7']) {
      const expected = mini
        .search(q)
        .slice(0, 20)
        .map((r) => ({ doc: Number(String(r.id).slice(1)), score: r.score }));
      expect(topK.search(q, 20), q).toEqual(expected);
    }
  });

  it('finds nothing for an empty query or unknown terms', () => {
    const topK = createTopK(build(corpus(5, 50, 20, { dedupe: true }), true), BOOSTS)!;
    expect([topK.search('', 20), topK.search('nosuchword', 20)]).toEqual([[], []]);
  });

  it('declines an index with removed documents (their ids leave gaps MiniSearch skips)', () => {
    const docs = corpus(9, 20, 10, { dedupe: true });
    const mini = build(docs, false);
    mini.discard('d3');
    expect(createTopK(mini, BOOSTS)).toBeNull();
  });
});
