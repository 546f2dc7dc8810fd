import { readFileSync } from 'node:fs';
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { generateEntries } from '../../bench/kb.js';
import { createBm25Builder } from '../../src/knowledge/bm25-postings.js';
import { createTopK } from '../../src/knowledge/bm25-top-k.js';
import { parseEvalFile } from '../../src/knowledge/evaluate.js';
import { buildIndex, buildIndexAsync } from '../../src/knowledge/index.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';

/**
 * The index's own postings and top-k scorer must return exactly what MiniSearch's search returns over the
 * same documents, cut to k: the same documents, in the same order (ties included), with bit-identical
 * scores. Checked on random documents and queries drawn from a small vocabulary, so that common terms,
 * shared field lengths and tied scores are frequent.
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

const FIELDS = Object.keys(BOOSTS) as (keyof typeof BOOSTS)[];

/** MiniSearch configured as the index was before it built its own postings: the reference. */
function reference(docs: Doc[]): MiniSearch<Doc> {
  const mini = new MiniSearch<Doc>({
    fields: FIELDS,
    tokenize: (text) => text.split(' '),
    processTerm: (term) => term || null,
    searchOptions: { boost: { ...BOOSTS }, combineWith: 'OR', prefix: false, fuzzy: false },
  });
  mini.addAll(docs);
  return mini;
}

function topKOf(docs: Doc[]) {
  const ids = new Map<string, number>();
  const intern = (t: string) => ids.get(t) ?? (ids.set(t, ids.size), ids.size - 1);
  const builder = createBm25Builder(FIELDS.length, intern);
  for (const doc of docs) builder.add(FIELDS.map((f) => [doc[f].split(' ')]));
  return createTopK(builder.finish(), Object.values(BOOSTS), (t) => ids.get(t));
}

const expected = (mini: MiniSearch<Doc>, q: string, k: number) =>
  mini
    .search(q)
    .slice(0, k)
    .map((r) => ({ doc: Number(String(r.id).slice(1)), score: r.score }));

function queries(seed: number, count: number, vocabulary: number): string[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const n = 1 + Math.floor(next() * 6);
    return Array.from({ length: n }, () => `w${Math.floor(vocabulary ** next()) - 1}`).join(' ') + (next() < 0.1 ? ' nosuchword' : '');
  });
}

describe('createTopK', () => {
  for (const dedupe of [true, false]) {
    it(`returns MiniSearch's top k bit for bit (${dedupe ? 'each term once per field' : 'repeated terms'})`, () => {
      const docs = corpus(7, 600, 300, { dedupe });
      const mini = reference(docs);
      const topK = topKOf(docs);
      for (const q of queries(11, 120, 300)) {
        const all = mini.search(q).map((r) => ({ doc: Number(String(r.id).slice(1)), score: r.score }));
        for (const k of [1, 5, 20]) expect(topK.search(q, k), `${q} (k=${k})`).toEqual(all.slice(0, k));
      }
    });
  }

  it('scores a query that repeats a term as MiniSearch does (added twice, counted once)', () => {
    const docs = corpus(3, 300, 50, { dedupe: true });
    const mini = reference(docs);
    const topK = topKOf(docs);
    for (const q of ['w1 w1', 'w0 w2 w0', 'w5  w5 w7']) expect(topK.search(q, 20), q).toEqual(expected(mini, q, 20));
  });

  it('scores a query of more terms than its pruning tracks (32+) exactly', () => {
    const docs = corpus(5, 300, 80, { dedupe: false });
    const mini = reference(docs);
    const topK = topKOf(docs);
    const q = Array.from({ length: 40 }, (_, i) => `w${i * 2}`).join(' ');
    expect(topK.search(q, 20)).toEqual(expected(mini, q, 20));
  });

  it('counts empty fields and repeated tokens in field lengths as MiniSearch does', () => {
    const docs: Doc[] = [
      { id: 'd0', title: 'a b', questions: '', tags: '', headings: 'a a a', body: 'c' },
      { id: 'd1', title: '', questions: 'a', tags: 'b b', headings: '', body: 'a c d' },
      { id: 'd2', title: 'd', questions: 'c  a', tags: '', headings: 'b', body: '' },
    ];
    const mini = reference(docs);
    const topK = topKOf(docs);
    for (const q of ['a', 'b', 'a b', 'c d', 'a b c d']) expect(topK.search(q, 3), q).toEqual(expected(mini, q, 3));
  });

  it('indexes a field of distinct terms as MiniSearch indexed them joined by spaces (repeats dropped, spaced terms split)', () => {
    const fields: string[][][][] = [
      [[['a', 'b', 'a']], [['c'], ['c', 'a']], [], [['a b', 'a']], [['d'], []]],
      [[[]], [['a']], [['b', 'b']], [['', 'c']], [['a', 'c', 'd']]],
      [[['d']], [['c', 'a'], ['a']], [['x y', 'y']], [['b']], [[]]],
    ];
    const docs: Doc[] = fields.map((doc, i) => ({ id: `d${i}`, ...Object.fromEntries(FIELDS.map((f, fi) => [f, [...new Set((doc[fi] ?? []).flat())].join(' ')])) }) as Doc);
    const ids = new Map<string, number>();
    const builder = createBm25Builder(FIELDS.length, (t) => ids.get(t) ?? (ids.set(t, ids.size), ids.size - 1), { distinct: true });
    for (const doc of fields) builder.add(doc);
    const topK = createTopK(builder.finish(), Object.values(BOOSTS), (t) => ids.get(t));
    const mini = reference(docs);
    for (const q of ['a', 'b', 'y', 'x a', 'c d', 'a b c d y']) expect(topK.search(q, 3), q).toEqual(expected(mini, q, 3));
  });

  it('finds nothing for an empty query or unknown terms', () => {
    const topK = topKOf(corpus(5, 50, 20, { dedupe: true }));
    expect([topK.search('', 20), topK.search('nosuchword', 20)]).toEqual([[], []]);
  });
});

describe('the knowledge index', () => {
  it('ranks the same whether built at once or chunk by chunk between events (600 entries)', async () => {
    const seed = await loadKnowledge('knowledge');
    const entries = generateEntries(seed.entries, 600);
    const chunked = await buildIndexAsync(entries, seed.synonyms);
    const whole = buildIndex(entries, seed.synonyms);
    const dev = parseEvalFile(readFileSync('bench/devset.jsonl', 'utf8'), 'bench/devset.jsonl').map((c) => c.q);
    const asked = entries.filter((_, i) => i % 11 === 0).map((e) => e.questions[0] ?? e.title);
    for (const q of [...asked, ...dev.slice(0, 60)]) expect(chunked.search(q, 20), q).toEqual(whole.search(q, 20));
  });
});
