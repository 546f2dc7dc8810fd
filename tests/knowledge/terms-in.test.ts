import { describe, expect, it } from 'vitest';
import { splitClauses } from '../../src/knowledge/clauses.js';
import { createAnalyzer, type TokenizerMode } from '../../src/knowledge/tokenize.js';

/**
 * A long message is segmented once: its clauses' terms come from the message's own tokens (termsIn), and must
 * be what analysing each clause alone gives — or null, when a token runs across the clause's end.
 */
const MESSAGES = [
  '我家住在溪湖区，孩子今年6岁半，户口在外地，想问一下一年级报名要带什么材料？',
  '孩子以前在外区上学 现在搬回来了 转学手续怎么办理',
  '学校收了资料费1234567元。这个合理吗？',
];

describe('termsIn', () => {
  for (const mode of ['jieba', 'jieba+bigram', 'segmenter', 'bigram'] as TokenizerMode[]) {
    it(`gives each clause the terms it has alone (${mode})`, () => {
      const analyzer = createAnalyzer(undefined, mode);
      for (const q of MESSAGES) {
        const analyzed = analyzer.analyze(q);
        const clauses = splitClauses(analyzed.norm);
        expect(clauses.length).toBeGreaterThan(1);
        for (const c of clauses) expect(analyzed.termsIn(c.start, c.start + c.text.length)).toEqual(analyzer.terms(c.text));
      }
    });
  }

  it('is null where a token runs across the clause boundary (bigram mode keeps ",3" as one token)', () => {
    const analyzer = createAnalyzer(undefined, 'bigram');
    const analyzed = analyzer.analyze('孩子2岁,3岁能上幼儿园吗');
    const [first, second] = splitClauses(analyzed.norm);
    expect(first!.text).toBe('孩子2岁');
    expect(analyzed.termsIn(second!.start, second!.start + second!.text.length)).toBeNull();
  });
});
