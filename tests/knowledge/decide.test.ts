import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/knowledge/index.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { CORPUS, writeKnowledge } from './fixtures.js';

const kb = await loadKnowledge(writeKnowledge(CORPUS));
const index = buildIndex(kb.entries, kb.synonyms);

describe('KnowledgeIndex.decide on a small corpus', () => {
  it('answers with the best section and its text', () => {
    const d = index.decide('我家娃8月30号生的，满6周岁了能上一年级吗');
    expect(d.kind).toBe('answer');
    if (d.kind !== 'answer') return;
    expect(d.best.id).toBe('enrollment-age');
    expect(d.best.section).toBe('年龄规定');
    expect(d.best.sectionText).toBe('凡年满6周岁（8月31日前出生）的适龄儿童应当入学。');
    expect(d.best.entry.title).toBe('小学一年级入学年龄');
  });

  it('picks the section a question is about', () => {
    const d = index.decide('教资认定要交什么材料');
    expect(d.kind === 'answer' && [d.best.id, d.best.section]).toEqual(['guide-teacher-certification', '申请材料']);
    const r = index.decide('租房的家庭报名一年级要带什么');
    expect(r.kind === 'answer' && [r.best.id, r.best.section, r.best.sectionText]).toEqual([
      'enrollment-materials-primary',
      '租房家庭',
      '房屋租赁合同和居住证。',
    ]);
  });

  it('understands synonyms parents use', () => {
    expect(index.search('私立学校摇号咋弄', 1)[0]?.id).toBe('enrollment-private-lottery');
    expect(index.search('娃想换个学校念书', 1)[0]?.id).toBe('guide-student-transfer');
    expect(index.search('教育局热线多少', 1)[0]?.id).toBe('contact-bureau');
  });

  it('lists both titles instead of answering when a bare keyword fits two entries equally', () => {
    const d = index.decide('小学一年级');
    expect(d.kind === 'suggest' && d.alternatives.map((a) => a.title)).toEqual(['小学一年级入学年龄', '小学一年级报名材料']);
  });

  it('offers close runners-up as alternatives by title when it answers', () => {
    // A model that always answers (bias +10): what an answer with a close runner-up shows, whatever the shipped model decides.
    const always = { features: ['bias' as const], weights: [10], answerAt: 0.5 };
    const withAlways = buildIndex(kb.entries, kb.synonyms, { answerModel: always });
    // A bare keyword both titles hold alike is a list whatever the model says (the tie rule, answer-model.ts nothingSeparates).
    expect(withAlways.decide('小学一年级').kind).toBe('suggest');
    // Naming a subject of each (入学, 材料) separates them: answered, with the other entry's title as a close runner-up.
    const d = withAlways.decide('小学一年级入学材料');
    expect(d.kind).toBe('answer');
    if (d.kind !== 'answer') return;
    const pair = ['enrollment-age', 'enrollment-materials-primary'];
    expect(pair).toContain(d.best.id);
    const other = pair.find((id) => id !== d.best.id)!;
    expect(d.alternatives.map((x) => [x.entryId, x.title])).toEqual([[other, kb.entries.find((e) => e.id === other)!.title]]);
    expect(d.confident).toBe(false);
    const clear = index.decide('教资认定要交什么材料');
    expect(clear.kind === 'answer' && [clear.alternatives, clear.confident]).toEqual([[], true]);
  });

  it('refuses messages outside the knowledge base, even when they share words', () => {
    for (const q of ['明天天气怎么样', '考驾照要多少钱', '社保缴费怎么交', '高考志愿怎么填报', '教资笔试报名什么时候开始', '医保卡怎么办理', '哈哈哈', 'asdfgh', '']) {
      expect(index.decide(q).kind, q).toBe('none');
    }
  });

  it('returns at most `limit` results, one per entry, best first, scores in [0, 1]', () => {
    const results = index.search('小学报名材料和入学年龄', 3);
    expect(results.length).toBeLessThanOrEqual(3);
    expect(new Set(results.map((r) => r.id)).size).toBe(results.length);
    const scores = results.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
  });

  it('gives the same score for the same match in a larger knowledge base', () => {
    const padding = Array.from({ length: 200 }, (_, i) => ({
      ...kb.entries[0]!,
      id: `filler-${i}`,
      title: `校园活动通知第${i}期`,
      questions: [],
      tags: [],
      body: `第${i}期校园文化活动安排。`,
      sections: [{ heading: null, text: `第${i}期校园文化活动安排。` }],
    }));
    const big = buildIndex([...kb.entries, ...padding], kb.synonyms);
    const q = '教资认定要交什么材料';
    expect(Math.abs(big.search(q, 1)[0]!.score - index.search(q, 1)[0]!.score)).toBeLessThan(0.05);
    expect(big.size).toBe(kb.entries.length + 200);
    expect(big.entry('enrollment-age')?.title).toBe('小学一年级入学年龄');
  });
});
