import { readFileSync } from 'node:fs';
import MiniSearch from 'minisearch';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateEntries } from '../../bench/kb.js';
import { parseEvalFile } from '../../src/knowledge/evaluate.js';
import { FrozenPostings, freezePostings } from '../../src/knowledge/frozen-postings.js';
import { buildIndex, buildIndexAsync } from '../../src/knowledge/index.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import type { KnowledgeEntry, SynonymGroups } from '../../src/knowledge/schema.js';

/**
 * Compact posting lists must not change a single answer: the same queries against a frozen and an
 * unfrozen index give the same candidates, scores, order and decisions.
 */
let seed: { entries: KnowledgeEntry[]; synonyms: SynonymGroups };
let questions: string[];

beforeAll(async () => {
  seed = await loadKnowledge('knowledge');
  const dev = parseEvalFile(readFileSync('bench/devset.jsonl', 'utf8'), 'bench/devset.jsonl').map((c) => c.q);
  questions = [...dev, '学校', '入学 报名 材料 户口', '孩子转学需要什么手续', 'xyz'];
});

describe('freezePostings', () => {
  it('swaps MiniSearch posting lists for id arrays and keeps its results identical', () => {
    const docs = [
      { id: 'a', title: '入学 年龄', body: '户籍 入学 材料' },
      { id: 'b', title: '转学 手续', body: '转学 户籍' },
      { id: 'c', title: '学籍 查询', body: '' },
    ];
    const make = () => {
      const mini = new MiniSearch({ fields: ['title', 'body'], tokenize: (t) => t.split(' '), processTerm: (t) => t || null });
      mini.addAll(docs);
      return mini;
    };
    const plain = make();
    const frozen = make();
    expect(freezePostings(frozen)).toBe(10); // every (term, field) list of the three documents
    for (const q of ['户籍', '入学 户籍', '转学 学籍 材料', '没有']) expect(frozen.search(q)).toEqual(plain.search(q));
  });

  it('keeps a frequency above 1 and lets MiniSearch add documents after freezing', () => {
    const make = () => new MiniSearch({ fields: ['body'], tokenize: (t) => t.split(' ') });
    const plain = make();
    const frozen = make();
    const docs = [{ id: 1, body: '户籍 户籍 入学' }, { id: 2, body: '户籍' }, { id: 3, body: '入学 户籍 户籍 户籍' }];
    plain.addAll(docs);
    frozen.addAll(docs.slice(0, 2));
    expect(freezePostings(frozen, { trim: false })).toBe(2);
    frozen.addAll(docs.slice(2)); // appended to the frozen lists by MiniSearch's own addTerm
    expect(freezePostings(frozen)).toBe(0);
    for (const q of ['户籍', '入学', '户籍 入学']) expect(frozen.search(q)).toEqual(plain.search(q));
  });

  it('answers membership like a Map', () => {
    const list = new FrozenPostings(Uint16Array.from([2, 5, 9]));
    expect([list.size, list.has(5), list.has(4), list.get(9), list.get(1)]).toEqual([3, true, false, 1, undefined]);
    list.set(70_000, 3); // past 2-byte ids: the list widens
    expect([...list.keys()]).toEqual([2, 5, 9, 70_000]);
    expect([...list]).toEqual([[2, 1], [5, 1], [9, 1], [70_000, 3]]);
    expect(() => list.set(4, 1)).toThrow('frozen posting list: document 4 added after 70000');
  });
});

describe('a frozen knowledge index', () => {
  it('ranks and decides exactly like an unfrozen one on the sample base', () => {
    const frozen = buildIndex(seed.entries, seed.synonyms);
    const plain = buildIndex(seed.entries, seed.synonyms, { freezePostings: false });
    for (const q of questions) {
      expect(frozen.search(q, 20), q).toEqual(plain.search(q, 20));
      expect(frozen.decide(q), q).toEqual(plain.decide(q));
    }
  });

  it('ranks exactly like an unfrozen one on a 2,000-entry base, built either way', async () => {
    const entries = generateEntries(seed.entries, 2_000);
    const frozen = await buildIndexAsync(entries, seed.synonyms);
    const plain = buildIndex(entries, seed.synonyms, { freezePostings: false });
    const asked = entries.filter((_, i) => i % 37 === 0).map((e) => e.questions[0] ?? e.title);
    for (const q of [...asked, ...questions.slice(0, 60)]) expect(frozen.search(q, 20), q).toEqual(plain.search(q, 20));
  });
});
