import { describe, expect, it } from 'vitest';
import type { Feature } from '../../src/knowledge/answer-model.js';
import { buildIndex } from '../../src/knowledge/index.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { learnNearTopics, NO_NEAR_TOPICS, parseNearTopicModel, rateOf } from '../../src/knowledge/near-topics.js';
import { entry, writeKnowledge } from './fixtures.js';

/**
 * The near-topic rate (src/knowledge/near-topics.ts) and the answer decision that reads it: a message that shares its
 * words with an entry but names a subject the entry does not hold is declined, one the entry is about is answered.
 * Entries and messages written for this test.
 */
const FILES: Record<string, string> = {
  'a/aid.md': entry(
    'id: student-aid\ntitle: 家庭经济困难学生资助\ncategory: policy\nquestions: [困难家庭学生有什么补助, 助学金怎么申请]\ntags: [资助, 助学金]',
    '## 资助对象\n\n本区义务教育阶段家庭经济困难学生。\n\n## 申请材料\n\n申请表、低保证或特困证明，交班主任。\n',
  ),
  'a/bus.md': entry(
    'id: school-bus\ntitle: 校车接送服务\ncategory: faq\nquestions: [学校有没有校车接送]\ntags: [校车]',
    '## 乘车安排\n\n校车早上7点从各站点发车，家长需提前登记。\n',
  ),
};
const kb = await loadKnowledge(writeKnowledge(FILES));

/**
 * A table learned the way `npm run train:decision` learns it, from messages of other bureaus: where the best entry
 * lacked 驾驶员 the message had to be declined (no entry was about hiring drivers); where it lacked 咋个 (a dialect
 * "how") the message was answered right.
 */
const learned = learnNearTopics(
  [
    { unheld: ['驾驶员'], declined: true },
    { unheld: ['驾驶员', '体检'], declined: true },
    { unheld: ['驾驶员'], declined: true },
    { unheld: ['咋个'], declined: false },
    { unheld: ['咋个', '娃儿'], declined: false },
    { unheld: ['咋个'], declined: false },
    { unheld: [], declined: false },
    { unheld: [], declined: false },
  ],
  ['test'],
);
/** A model reading the best entry's score and the near-topic rate (the shipped one reads them among 31 features). */
const model = { features: ['bias', 'top', 'nearTopic'] as Feature[], weights: [-4, 9, -6], answerAt: 0.5, suggestFrom: 0.3 };

describe('near-topic rate', () => {
  it('is the share of counted messages declined, pulled toward the base rate by the prior', () => {
    const rate = rateOf(learned);
    expect(learned.base).toBeCloseTo(3 / 8, 6);
    expect(rate('驾驶员')).toBeCloseTo((3 + 2 * 0.375) / (3 + 2), 6);
    expect(rate('咋个')).toBeCloseTo((0 + 2 * 0.375) / (3 + 2), 6);
    // A word the table never saw: the base rate.
    expect(rate('冬令营')).toBe(learned.base);
  });

  it('is learned deterministically, words in code-unit order, and read back from its JSON', () => {
    const again = learnNearTopics([...learned.counts].reverse().map(([t]) => ({ unheld: [t], declined: false })), ['test']);
    expect(again.counts.map(([t]) => t)).toEqual([...again.counts.map(([t]) => t)].sort());
    expect(parseNearTopicModel(JSON.stringify(learned))).toEqual(learned);
    expect(() => parseNearTopicModel('{"version":1}')).toThrow(/near-topics.json/);
  });
});

describe('scope: a near topic is declined, the entry’s own subject answered', () => {
  const index = buildIndex(kb.entries, kb.synonyms, { nearTopics: rateOf(learned), answerModel: model });
  const without = buildIndex(kb.entries, kb.synonyms, { nearTopics: NO_NEAR_TOPICS, answerModel: model });

  it('declines a message whose subject (驾驶员) the school-bus entry does not hold, though it shares 校车 and 条件 with it', () => {
    const q = '校车驾驶员要啥资格';
    expect(index.search(q, 1)[0]?.id).toBe('school-bus');
    expect(index.explain(q).unheld).toEqual(['驾驶员']);
    expect(index.decide(q).kind).not.toBe('answer');
    // Without the learned rate the same model answers it: the decline is the near-topic feature's.
    expect(without.decide(q).kind).toBe('answer');
  });

  it('answers a question the entry is about, though it lacks the parent\'s dialect word (咋个)', () => {
    const q = '校车咋个登记';
    expect(index.explain(q).unheld).toEqual(['咋个']);
    const d = index.decide(q);
    expect(d.kind).toBe('answer');
    if (d.kind === 'answer') expect(d.best.id).toBe('school-bus');
  });

  it('reads only words the best entry lacks: a word it holds (助学金) is never a near topic', () => {
    const x = index.explain('助学金怎么申请');
    expect(x.unheld).toEqual([]);
    expect(x.features?.nearTopic).toBe(0);
  });
});

describe('unheldTopics', () => {
  it('leaves out generic words, single characters and words the entry holds as text', () => {
    const index = buildIndex(kb.entries, kb.synonyms, { nearTopics: NO_NEAR_TOPICS });
    // 校车 is held; 孩子 is generic; 冬令营 is not in the entry.
    expect(index.explain('孩子冬令营有校车吗').unheld).toEqual(['冬令营']);
  });
});
