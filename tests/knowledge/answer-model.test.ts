import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { answerModel, FEATURES } from '../../src/knowledge/answer-model.js';
import { buildIndex } from '../../src/knowledge/index.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { CORPUS, entry, writeKnowledge } from './fixtures.js';

/** A model that always says "clearly right" (bias +10) or never (bias −10). */
const fixed = (bias: number) => ({ features: [...FEATURES], weights: FEATURES.map((f) => (f === 'bias' ? bias : 0)), answerAt: 0.5 });

const kb = await loadKnowledge(writeKnowledge(CORPUS));

describe('precision first: answer or "您是不是想问"', () => {
  it('answers outright when the model says the best entry is clearly right', () => {
    const d = buildIndex(kb.entries, kb.synonyms, { answerModel: fixed(10) }).decide('教资认定要交什么材料');
    expect(d.kind === 'answer' && [d.best.id, d.best.section]).toEqual(['guide-teacher-certification', '申请材料']);
  });

  it('offers up to three titles instead of an answer when it is not', () => {
    const d = buildIndex(kb.entries, kb.synonyms, { answerModel: fixed(-10) }).decide('小学一年级');
    expect(d.kind).toBe('suggest');
    if (d.kind !== 'suggest') return;
    expect(d.alternatives.length).toBeLessThanOrEqual(3);
    expect(d.alternatives.slice(0, 2).map((a) => a.title)).toEqual(['小学一年级入学年龄', '小学一年级报名材料']);
  });

  it('still says nothing matched when nothing did, whatever the model', () => {
    expect(buildIndex(kb.entries, kb.synonyms, { answerModel: fixed(10) }).decide('明天天气怎么样').kind).toBe('none');
  });

  it('measures what the best entry does not cover from the knowledge base itself', async () => {
    const files = {
      ...CORPUS,
      'guides/kindergarten.md': entry(
        'id: kindergarten-licence\ntitle: 民办幼儿园设立审批\ncategory: service-guide\nquestions: [开办民办幼儿园需要什么条件]',
        '## 设立条件\n\n有符合标准的园舍和持证教师。\n\n## 审批流程\n\n先筹设，再正式设立。\n',
      ),
    };
    const base = await loadKnowledge(writeKnowledge(files));
    const index = buildIndex(base.entries, base.synonyms);
    const about = index.explain('开办民办幼儿园需要什么条件');
    const notAbout = index.explain('幼儿园小班入园报名几岁能上');
    expect(about.top).toBe('kindergarten-licence');
    expect(notAbout.features?.offKey ?? 1).toBeGreaterThan(about.features!.offKey);
    expect(index.decide('开办民办幼儿园需要什么条件').kind).toBe('answer');
    expect(index.decide('幼儿园小班入园报名几岁能上').kind).not.toBe('answer');
  });
});

describe('the shipped answer model', () => {
  it('loads and validates models/answer-model.json', () => {
    const m = answerModel();
    expect(m.features).toEqual([...FEATURES]);
    expect(m.answerAt).toBeGreaterThan(0);
    expect(m.answerAt).toBeLessThan(1);
  });

  it('is what `npm run train:decision` gives: retraining reproduces the file byte for byte', { timeout: 180_000 }, async () => {
    const { train } = await import('../../bench/train-decision.js');
    const { model } = await train();
    expect(`${JSON.stringify(model)}\n`).toBe(readFileSync('models/answer-model.json', 'utf8'));
  });
});
