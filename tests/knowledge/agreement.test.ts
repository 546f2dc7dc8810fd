import { describe, expect, it } from 'vitest';
import { bigramAgreement, hanBigrams, sameFirst } from '../../src/knowledge/agreement.js';
import type { ScoringProfile } from '../../src/knowledge/decide.js';
import { buildIndex } from '../../src/knowledge/index.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { CORPUS, writeKnowledge } from './fixtures.js';

/** A ranked candidate with only what agreement.ts reads: its id and its key text. */
const candidate = (id: string, key: string) => ({ hit: { id, section: null, score: 0 }, profile: { keyText: () => key } }) as unknown as ScoringProfile;

describe('agreement between differently built orders (answer-model features)', () => {
  it('reads the pairs of adjacent Han characters, each once, and none in English', () => {
    expect(hanBigrams('小学报名 报名材料')).toEqual(['小学', '学报', '报名', '名材', '材料']);
    expect(hanBigrams('how to transfer school')).toEqual([]);
  });

  it('agrees when the first entry also holds the most of the message by bigrams, and says by how much', () => {
    const ranked = [candidate('materials', '小学一年级报名材料 报名要带什么'), candidate('age', '小学一年级入学年龄 几岁上学')];
    const a = bigramAgreement(hanBigrams('一年级报名要带什么材料'), ranked);
    expect(a.agree).toBe(1);
    expect(a.lead).toBeGreaterThan(0);
    const b = bigramAgreement(hanBigrams('一年级报名要带什么材料'), [...ranked].reverse());
    expect(b.agree).toBe(0);
    expect(b.lead).toBeCloseTo(-a.lead, 9);
  });

  it('gives no evidence either way without a pair or a rival', () => {
    expect(bigramAgreement([], [candidate('a', '报名'), candidate('b', '材料')])).toEqual({ agree: 1, lead: 0 });
    expect(bigramAgreement(['报名'], [candidate('a', '报名')])).toEqual({ agree: 1, lead: 0 });
    expect(sameFirst([candidate('a', ''), candidate('b', '')], [candidate('b', ''), candidate('a', '')])).toBe(0);
    expect(sameFirst([candidate('a', '')], null)).toBe(1);
  });

  it('lets a model that lists bigram agreement answer only when the orders agree', async () => {
    const kb = await loadKnowledge(writeKnowledge(CORPUS));
    const index = buildIndex(kb.entries, kb.synonyms, { answerModel: { features: ['bias', 'bigramAgree'], weights: [-1, 2], answerAt: 0.5 } });
    expect(index.explain('教资认定要交什么材料').vector?.bigramAgree).toBe(1);
    const d = index.decide('教资认定要交什么材料');
    expect(d.kind === 'answer' && d.best.id).toBe('guide-teacher-certification');
    const doubting = buildIndex(kb.entries, kb.synonyms, { answerModel: { features: ['bias', 'bigramAgree'], weights: [1, -2], answerAt: 0.5 } });
    expect(doubting.decide('教资认定要交什么材料').kind).toBe('suggest');
  });
});
