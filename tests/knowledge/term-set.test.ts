import { describe, expect, it } from 'vitest';
import { Arenas, packQuestions, packTerms, Vocabulary } from '../../src/knowledge/term-set.js';

/** Every packed set as a TermSet. */
const packTermSets = (vocab: Vocabulary, lists: string[][]) => {
  const packed = packTerms(vocab, lists);
  return Array.from({ length: packed.count }, (_, i) => packed.set(i));
};

describe('packTerms', () => {
  it('answers membership like a Set, per list, with duplicates dropped', () => {
    const vocab = new Vocabulary();
    const lists = [
      ['入学', '年龄', '入学', '一年级'],
      [],
      ['户籍', '证明', '入学', '居住证', '房产证'],
    ];
    const sets = packTermSets(vocab, lists);
    expect(sets.map((s) => s.size)).toEqual([3, 0, 5]);
    for (const [i, list] of lists.entries()) {
      for (const term of ['入学', '年龄', '一年级', '户籍', '证明', '居住证', '房产证', '转学', '']) {
        expect(sets[i]!.has(term), `${i}: ${term}`).toBe(list.includes(term));
      }
      expect(new Set(sets[i]!)).toEqual(new Set(list));
    }
  });

  it('keeps each distinct term once across entries', () => {
    const vocab = new Vocabulary();
    packTermSets(vocab, [['学籍', '转学']]);
    packTermSets(vocab, [['转学', '学籍', '档案']]);
    expect(vocab.size).toBe(3);
    const fresh = ['学', '籍'].join('');
    expect(vocab.canonical(fresh)).toBe('学籍');
    expect(vocab.id('毕业证')).toBeUndefined();
  });

  it('finds every member of a large set and nothing else', () => {
    const vocab = new Vocabulary();
    const terms = Array.from({ length: 500 }, (_, i) => `词${i}`);
    const odd = terms.filter((_, i) => i % 2 === 1);
    const [set] = packTermSets(vocab, [odd, terms]);
    terms.forEach((t, i) => expect(set!.has(t)).toBe(i % 2 === 1));
  });
});

describe('packed sets past 65,536 terms', () => {
  it('widens the shared id arena to 4 bytes and keeps every earlier set right', () => {
    const vocab = new Vocabulary();
    const arenas = new Arenas();
    const early = packTerms(vocab, [['入学', '户籍'], ['转学']], arenas);
    for (let i = 0; i < 70_000; i++) vocab.intern(`词${i}`);
    const late = packTerms(vocab, [['词69999', '入学'], ['学籍']], arenas);
    const questions = packQuestions(vocab, [['词69998', '入学'], []], (t) => (t === '入学' ? 2 : 6), arenas);
    arenas.seal();
    expect([early.has(0, '入学'), early.has(0, '转学'), early.has(1, '转学')]).toEqual([true, false, true]);
    expect([late.has(0, '词69999'), late.has(0, '入学'), late.has(0, '词5'), late.has(1, '学籍')]).toEqual([true, true, false, true]);
    expect([...late.set(0)].sort()).toEqual(['入学', '词69999']);
    expect(questions.count).toBe(1);
    expect(questions.bestFit(new Set(['入学']))).toBe(2 / 8);
    expect(questions.bestFit(new Set(['词69998', '入学']))).toBe(1);
  });
});

describe('question fit by term ids', () => {
  it('is bestFit of the same terms, to the last bit, for random lists and messages (repeats and unknown terms included)', () => {
    const vocab = new Vocabulary();
    const arenas = new Arenas();
    let seed = 7;
    const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const weight = (t: string) => 0.1 + (t.codePointAt(1)! % 97) / 7.3;
    const word = () => `词${random(60)}`;
    const packed = Array.from({ length: 200 }, () => packQuestions(vocab, Array.from({ length: 1 + random(5) }, () => Array.from({ length: random(6) }, word)), weight, arenas));
    arenas.seal();
    for (let m = 0; m < 500; m++) {
      const terms = Array.from({ length: random(9) }, () => (random(10) === 0 ? `新词${m}` : word()));
      const ids = terms.map((t) => vocab.id(t));
      const weights = terms.map(weight);
      for (const questions of packed) expect(questions.bestFitOfIds(ids, weights)).toBe(questions.bestFit(new Set(terms)));
    }
  });
});
