import { beforeAll, describe, expect, it } from 'vitest';
import { NO_ASSOCIATIONS } from '../../src/knowledge/associations.js';
import { THRESHOLDS } from '../../src/knowledge/decide.js';
import { buildIndex, type KnowledgeIndex } from '../../src/knowledge/index.js';
import { createJurisdiction } from '../../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { CORPUS, writeKnowledge } from './fixtures.js';

const xihu = createJurisdiction({ area: '溪湖区', city: '本溪市', province: '辽宁省' });
/** A family story, then the question: its words are mostly in no entry, so the right entry scores low. */
const STORY = '我以前在外地一家培训机构带过几年课，后来回老家照顾老人，现在想考个正式编制，教师资格怎么认定？';
/** One clause, colloquial: its right entry scores low too, but it is no story. */
const SHORT = '老师资格';

// Models as data (answer-model.ts): a constant probability, so only where the model is asked decides.
const sure = { features: ['bias' as const], weights: [5], answerAt: 0.5, suggestFrom: 0.1 };
const unsure = { ...sure, weights: [-5] };

describe('a story is judged by the answer model below the ranking bar (storyAnswerFrom; issue 14, long18)', () => {
  let kb: Awaited<ReturnType<typeof loadKnowledge>>;
  const index = (model: typeof sure & { storyAnswerFrom?: number }): KnowledgeIndex =>
    buildIndex(kb.entries, kb.synonyms, { jurisdiction: xihu, associations: NO_ASSOCIATIONS, answerModel: model });
  beforeAll(async () => {
    kb = await loadKnowledge(writeKnowledge(CORPUS));
  });

  it('premise: both messages rank the right entry first below the ranking bar; only the first is a story', () => {
    const plain = index(sure);
    for (const q of [STORY, SHORT]) {
      const e = plain.explain(q);
      expect(e.top, q).toBe('guide-teacher-certification');
      expect(e.vector!.top, q).toBeLessThan(THRESHOLDS.answer);
    }
    expect(plain.explain(STORY).story).toBe(true);
    expect(plain.explain(SHORT).story).toBe(false);
  });

  it('answers the story when the model, asked from storyAnswerFrom, says its best entry is right', () => {
    const d = index({ ...sure, storyAnswerFrom: 0 }).decide(STORY);
    expect(d.kind === 'answer' && d.best.id).toBe('guide-teacher-certification');
  });

  it('lists it instead when the model says no, and when the model carries no storyAnswerFrom (the ranking bar, as before)', () => {
    for (const model of [{ ...unsure, storyAnswerFrom: 0 }, sure]) {
      const d = index(model).decide(STORY);
      expect(d.kind).toBe('suggest');
      expect(d.kind === 'suggest' && d.alternatives[0]!.entryId).toBe('guide-teacher-certification');
    }
  });

  it('keeps the ranking bar for a message that is no story', () => {
    expect(index({ ...sure, storyAnswerFrom: 0 }).decide(SHORT).kind).toBe('suggest');
  });
});
