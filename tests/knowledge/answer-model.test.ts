import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_FEATURES, answerModel, FEATURES, probability } from '../../src/knowledge/answer-model.js';
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

describe('what the wording asks', () => {
  const index = buildIndex(kb.entries, kb.synonyms);

  it('reads a kind of fact asked, and whether the best entry holds it by a heading', () => {
    const asked = index.explain('教师资格认定要交哪些材料');
    expect(asked.top).toBe('guide-teacher-certification');
    expect([asked.features?.asks, asked.features?.factHeld]).toEqual([1, 1]);
    const plain = index.explain('民办学校怎么摇号');
    expect(plain.top).toBe('enrollment-private-lottery');
    expect([plain.features?.asks, plain.features?.factHeld]).toEqual([0, 0]);
  });

  it('measures the share of the message in words the general-language table does not know', () => {
    const clean = index.explain('孩子转学怎么办理');
    const typed = index.explain('孩子转学怎么办理 zhuanxue');
    expect(clean.top).toBe('guide-student-transfer');
    expect(typed.top).toBe('guide-student-transfer');
    expect(clean.features!.oov).toBe(0);
    expect(typed.features!.oov).toBeGreaterThan(0);
  });

  it('scales coverage and margin to the part of the message some entry holds', () => {
    const clean = index.explain('孩子转学怎么办理').features!;
    const padded = index.explain('孩子转学怎么办理 zhuanxue').features!;
    expect(padded.seen).toBeLessThan(clean.seen);
    expect(padded.coverage).toBeLessThan(clean.coverage);
    expect(padded.coverageSeen).toBeCloseTo(Math.min(1, padded.coverage / padded.seen), 9);
  });
});

describe('whether the best entry rather than its runner-up holds the message (answer15)', () => {
  const index = buildIndex(kb.entries, kb.synonyms);

  it('reads whether the key fields hold the heaviest term, the lead over the runner-up there, and the length', () => {
    const x = index.explain('教师资格认定要交哪些材料').features!;
    expect(x.keyHeavy).toBe(1);
    expect(x.rivalKey).toBeGreaterThan(0);
    const longer = index.explain('请问一下老师教师资格认定的时候要交哪些材料呢谢谢').features!;
    expect(longer.length).toBeGreaterThan(x.length);
    expect(longer.length).toBeLessThanOrEqual(1);
    // Without learned associates every covered word is the message's own; BM25 over the same candidates agrees.
    const plain = buildIndex(kb.entries, kb.synonyms, { associations: { table: new Map(), strength: 0 } }).explain('教师资格认定要交哪些材料').features!;
    expect(plain.associatedShare).toBe(0);
    expect(plain.bm25Share).toBe(1);
  });
});

describe('a model file', () => {
  it('reads boosted stumps as base plus each feature\'s bin value (a value equal to a cut is above it)', () => {
    const x = Object.fromEntries(ALL_FEATURES.map((f) => [f, 0])) as Record<(typeof ALL_FEATURES)[number], number>;
    const model = { features: ['top', 'asks'] as ('top' | 'asks')[], weights: [], stumps: { base: 0.5, bins: [{ cuts: [0.4, 0.8], values: [-2, 0, 1] }, { cuts: [0.5], values: [0, -0.5] }] } };
    const logOdds = (top: number, asks: number) => {
      x.top = top;
      x.asks = asks;
      return Math.log(probability(model, x) / (1 - probability(model, x)));
    };
    expect(logOdds(0.3, 0)).toBeCloseTo(-1.5, 9);
    expect(logOdds(0.4, 0)).toBeCloseTo(0.5, 9);
    expect(logOdds(0.9, 1)).toBeCloseTo(1, 9);
  });

  it('uses the features it lists, in its order, and may list fewer than there are', () => {
    const x = Object.fromEntries(ALL_FEATURES.map((f) => [f, 0])) as Record<(typeof ALL_FEATURES)[number], number>;
    x.bias = 1;
    x.asks = 1;
    expect(probability({ features: ['bias', 'asks'], weights: [0, 0] }, x)).toBe(0.5);
    expect(probability({ features: ['asks', 'bias'], weights: [Math.log(3), 0] }, x)).toBeCloseTo(0.75, 9);
  });
});

describe('the answer threshold', () => {
  it('is the lowest probability at which held-out wrong answers stay within 4 %', async () => {
    const { heldOutThreshold } = await import('../../bench/train-decision.js');
    const row = (p: number, right: boolean) => ({ set: 's', bureau: 'b', kbIntent: false, candidate: true, answerable: true, right, x: null, p, score: null, listed: right });
    const rows = [...Array.from({ length: 90 }, () => row(0.9, true)), ...Array.from({ length: 5 }, () => row(0.85, false)), ...Array.from({ length: 5 }, () => row(0.5, false))];
    // From 0.86 up nothing wrong is answered; at 0.85 five of the hundred are (5 % > 4 %).
    expect(heldOutThreshold(rows)).toBe(0.86);
    // Right at 0.85: answering from 0.51 gets nothing wrong; from 0.5 five wrong again.
    expect(heldOutThreshold(rows.map((r, i) => (i >= 90 && i < 95 ? { ...r, right: true } : r)))).toBe(0.51);
    // Four wrong of a hundred is within the bar: the threshold goes down to where the fifth is answered.
    expect(heldOutThreshold(rows.map((r, i) => (i === 94 ? { ...r, p: 0.2 } : i >= 95 ? { ...r, right: true } : r)))).toBe(0.21);
  });
});

describe('a threshold with a margin for the bureau (measured, bench/decision-procedures.ts)', () => {
  it('answers less when one bureau of three is wrong often enough that drawing it twice breaks 4 %', async () => {
    const { drawnThreshold, heldOutThreshold, quantileThreshold } = await import('../../bench/train-decision.js');
    const row = (bureau: string, p: number, right: boolean) => ({ set: bureau, bureau, kbIntent: true, candidate: true, answerable: true, right, x: null, p, score: null, listed: right });
    const rows = [
      ...Array.from({ length: 90 }, () => row('a', 0.9, true)),
      ...Array.from({ length: 10 }, () => row('a', 0.7, false)),
      ...['b', 'c'].flatMap((b) => Array.from({ length: 100 }, () => row(b, 0.9, true))),
    ];
    // Pooled, 10 wrong of 300 (3.3 %): every candidate is answered. Bureaus drawn with replacement: a drawn twice
    // or more (7 draws in 27) gives 20 of 300 (6.7 %), so the 90 % quantile is over 4 % below 0.71, the median not.
    expect(heldOutThreshold(rows)).toBe(0);
    expect(quantileThreshold(rows, 0.5)).toBe(0);
    expect(quantileThreshold(rows, 0.9)).toBe(0.71);
    expect(drawnThreshold(rows, 0.5)).toBe(0);
    expect(drawnThreshold(rows, 0.9)).toBe(0.71);
  });
});

describe('the answer threshold by bureau (bench/train-decision.ts bureauThreshold)', () => {
  it('answers from the lowest probability at which nine bureaus in ten keep their own wrong answers within 4 %', async () => {
    const { bureauThreshold, heldOutThreshold, BUREAU_SHARE } = await import('../../bench/train-decision.js');
    const row = (bureau: string, p: number, right: boolean) => ({ set: bureau, bureau, kbIntent: true, candidate: true, answerable: true, right, x: null, p, score: null, listed: right });
    const bureaus = Array.from({ length: 10 }, (_, i) => `b${i}`);
    const rows = [
      ...bureaus.flatMap((b) => Array.from({ length: 100 }, () => row(b, 0.9, true))),
      // b0 is wrong 10 times of 110 from 0.7, b1 from 0.6: each alone is over 4 %, pooled they are 20 of 1,020.
      ...Array.from({ length: 10 }, () => row('b0', 0.7, false)),
      ...Array.from({ length: 10 }, () => row('b1', 0.6, false)),
    ];
    expect(BUREAU_SHARE).toBe(0.9);
    expect(heldOutThreshold(rows)).toBe(0);
    // From 0.61 up at most b0 is over the bar (9 of 10 within); at 0.6 b1 is too (8 of 10).
    expect(bureauThreshold(rows, 0.9)).toBe(0.61);
    // Three in four (fuse21's margin) lets both be over.
    expect(bureauThreshold(rows, 0.75)).toBe(0);
    // Rounded up: with 0.95, all ten must be within.
    expect(bureauThreshold(rows, 0.95)).toBe(0.71);
  });
});

describe('the shipped answer model', () => {
  it('loads and validates models/answer-model.json', async () => {
    const { MODEL_FEATURES } = await import('../../bench/train-decision.js');
    const m = answerModel();
    expect(m.features).toEqual([...MODEL_FEATURES]);
    if (m.stumps) expect(m.stumps.bins).toHaveLength(m.features.length);
    else expect(m.weights).toHaveLength(m.features.length);
    expect(m.answerAt).toBeGreaterThan(0);
    expect(m.answerAt).toBeLessThan(1);
    // The suggest floor is learned in the same run (bench/suggest-floor.ts): a score, below the answer threshold's domain or not.
    expect(m.suggestFrom).toBeGreaterThan(0);
    expect(m.suggestFrom).toBeLessThan(1);
  });

  it('is what `npm run train:decision` gives: retraining reproduces the file byte for byte', { timeout: 600_000 }, async () => {
    const { train } = await import('../../bench/train-decision.js');
    const { model, nearTopics } = await train();
    expect(`${JSON.stringify(model)}\n`).toBe(readFileSync('models/answer-model.json', 'utf8'));
    // The near-topic table the model reads is learned in the same run (src/knowledge/near-topics.ts).
    expect(`${JSON.stringify(nearTopics)}\n`).toBe(readFileSync('models/near-topics.json', 'utf8'));
  });
});
