import { describe, expect, it } from 'vitest';
import { packTermSets, Vocabulary } from '../../src/knowledge/term-set.js';

describe('packTermSets', () => {
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
