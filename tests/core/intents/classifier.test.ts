import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INTENT_MODEL, loadIntentModel, thresholdFor } from '../../../src/core/intents/classifier.js';
import { detectIntent, loadIntents, type IntentSet } from '../../../src/core/intents/index.js';
import { chat, makeEngine, tempDbPath } from '../engine/harness.js';

let rules: IntentSet;
let learned: IntentSet;
beforeAll(async () => {
  rules = await loadIntents(undefined, { model: null });
  learned = await loadIntents();
});

// Written for this test (not in the corpus, not from any evaluation set).
const NARRATED_PETITIONS = [
  '领导您好：我家住在城郊，孩子所在的学校这学期把体育课都改成了语文和数学，孩子一个学期没上过一节体育课。请问这个问题该如何解决？',
  '局长好，学校门口的保安对来接孩子的家长态度非常粗暴，上周还推了一位老人，请问这种情况有没有人管？',
  '尊敬的领导：我们小区的孩子每天放学要横穿一条没有红绿灯的马路，已经差点出过两次事故，希望领导能重视。',
];
const POLICY_QUESTIONS = [
  '领导您好，我家孩子户口在外地，今年九月要上一年级，请问需要准备哪些材料？',
  '我们在本区租房住了三年，孩子能在附近的公办学校报名吗？',
  '转学需要去哪里办手续',
];

describe('the learned intent classifier', () => {
  it('makes narrated grievances cases, also when they end with a question mark, where the rules alone answered them', () => {
    for (const text of NARRATED_PETITIONS) expect(detectIntent(learned, text).intent, text).toBe('petition');
    expect(NARRATED_PETITIONS.filter((t) => detectIntent(rules, t).intent === 'kb').length).toBeGreaterThan(0);
  });

  it('leaves real policy questions to the knowledge base, even addressed to 领导 with a family story', () => {
    for (const text of POLICY_QUESTIONS) expect(detectIntent(learned, text).intent, text).toBe('kb');
  });

  it('recognises status asked without 进度 and a person asked for in new words', () => {
    expect(detectIntent(learned, '我前阵子说的学校收费那件事，现在有下文了没').intent).toBe('status');
    expect(detectIntent(learned, '麻烦帮我接通管招生的同志').intent).toBe('human');
  });

  it('gives a narrated petition a complaint case type for the filing flow', () => {
    expect(detectIntent(learned, NARRATED_PETITIONS[0]!)).toEqual({ intent: 'petition', caseType: 'complaint' });
  });

  it('a narrated grievance starts the filing flow in the engine, with its text as the content', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    try {
      const reply = await chat(engine).say(NARRATED_PETITIONS[1]!);
      expect(reply.map((r) => r.text).join('\n')).toContain('请留下联系电话');
    } finally {
      await db.close();
    }
  });
});

describe('loading the model file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'intent-model-'));

  it('loads the shipped model with its labels and threshold', async () => {
    const classifier = await loadIntentModel();
    expect(classifier.model.labels).toEqual(['kb', 'petition', 'human', 'status', 'greeting', 'thanks']);
    expect(classifier.model.threshold).toBeGreaterThanOrEqual(0.5);
  });

  it('refuses a model whose weight vectors do not match its labels, naming the file', async () => {
    const model = JSON.parse(readFileSync(DEFAULT_INTENT_MODEL, 'utf8')) as { features: string[] };
    model.features.push('一个多出来的特征');
    const path = join(dir, 'broken.json');
    writeFileSync(path, JSON.stringify(model));
    await expect(loadIntentModel(path)).rejects.toThrow(/Invalid intent model .*broken\.json[\s\S]*every feature must have one weight per label/);
  });

  it('tells the operator to run npm run train when the file is missing', async () => {
    await expect(loadIntents(undefined, { model: join(dir, 'missing.json') })).rejects.toThrow(/Cannot read the intent model .*missing\.json.*npm run train/);
  });
});

describe('the classifier bars (issue 14)', () => {
  // Written for this test: a long 问政-style post ending in a question, and a long knowledge question of the same shape.
  const POST = '尊敬的领导：我们是城北小学五年级的家长，学校这学期起每天下午只上两节课，剩下的时间让孩子在教室里自习，老师也不在。家长们去问，学校说是为了减负。请问这样安排合理吗？';
  const QUESTION = '尊敬的领导：我们一家刚从外省调来工作，孩子在原来的学校读完了四年级，户口还没有迁过来。请问孩子转学到本区读五年级要准备哪些材料？';

  it('a long post is judged by the long bar, a short message that would become a case by its own bar', async () => {
    const { model } = await loadIntentModel();
    expect(thresholdFor(model, 'x'.repeat(model.longFrom), 'petition')).toBe(model.longThreshold);
    expect(thresholdFor(model, '短', 'petition')).toBe(model.shortCaseThreshold);
    expect(thresholdFor(model, '短', 'status')).toBe(model.threshold);
  });

  it('makes a long addressed post ending in a question a case, and keeps a long addressed knowledge question as kb', () => {
    expect(detectIntent(learned, POST).intent).toBe('petition');
    expect(detectIntent(learned, QUESTION).intent).toBe('kb');
  });

  it('lets the classifier overrule a social-act pattern that matched inside a long grievance, not a short rating', () => {
    const post = '我们班的英语老师每天让孩子在群里上传背课文的视频，还要求家长互相点评打分，不打分的家长会被点名。';
    expect(detectIntent(rules, post).intent).toBe('rate');
    expect(detectIntent(learned, post).intent).toBe('petition');
    expect(detectIntent(learned, '我要打分').intent).toBe('rate');
  });
});

describe('knowledge questions that look like cases or greetings (issue 14, third pass)', () => {
  // Written for this test (not in the corpus, not from any evaluation set).
  const LOOKALIKES = [
    '孩子的学籍卡上民族登记错了，去哪里能更正',
    '对划片结果有异议，可以向哪里申请复核',
    '办资格认定能让家里人代交材料吗',
    '孩子常年卧床，有没有老师上门授课的政策',
    '下午好，你们礼拜六上班吗',
    '转学手续',
    '信息公开申请',
  ];

  it('answers questions about fixing a record, objecting, what is allowed, a service for a hardship, opening hours and bare procedure names', () => {
    for (const text of LOOKALIKES) expect(detectIntent(learned, text).intent, text).toBe('kb');
  });

  it('still greets a greeting that only checks someone is there, and still files a grievance told without a complaint word', () => {
    expect(detectIntent(learned, '您好，请问有人在吗').intent).toBe('greeting');
    expect(detectIntent(learned, '老师每天放学后把孩子留到七点才让走，家长在校门口干等，已经一个多月了').intent).toBe('petition');
    expect(detectIntent(learned, '我三周前在这里说的那件事，现在谁在处理').intent).toBe('status');
  });

  it('keeps a disclosure request that names what it asks for a case', () => {
    expect(detectIntent(learned, '依申请公开：请提供本区去年学校食堂招标的结果')).toEqual({ intent: 'petition', caseType: 'disclosure' });
  });
});

describe('the classifier features', () => {
  it('are every character n-gram of the marked text, in order, as slicing and joining the characters gave them', async () => {
    const { features, featureSet, scoreFeatures } = await import('../../../src/core/intents/classifier.js');
    // The reference the model was trained with: n-grams by slice + join, then the shape features.
    const reference = (text: string, min: number, max: number) => {
      const chars = ['^', ...text.replace(/\s+/g, ' '), '$'];
      const grams: string[] = [];
      for (let n = min; n <= max; n++) for (let i = 0; i + n <= chars.length; i++) grams.push(chars.slice(i, i + n).join(''));
      return grams;
    };
    for (const text of ['孩子转学要办什么手续？', 'how do I enrol my child', '领导您好：学校乱收费 😡 怎么办', '𠀀𠀁 surrogate pairs 𠀂', '']) {
      const got = features(text, 1, 3);
      const grams = [...new Set(reference(text, 1, 3))];
      expect(got.slice(0, grams.length)).toEqual(grams);
      expect(got.slice(grams.length).every((f) => f.startsWith('#'))).toBe(true);
      // What predict scores: the same features in the same order, so the same sums to the last bit.
      const set = featureSet(text, 1, 3);
      expect([...set]).toEqual(got);
      const weightOf = (f: string) => [f.length * 0.25, -f.codePointAt(0)! / 1e5, 0.1];
      expect(scoreFeatures(3, [0.1, 0.2, 0.3], weightOf, set)).toEqual(scoreFeatures(3, [0.1, 0.2, 0.3], weightOf, got));
    }
  });
});

describe('the classifier looking features up by code points', () => {
  it('gives every message the probabilities, to the last bit, that scoring its feature strings gives', async () => {
    const { createClassifier, featureSet, loadIntentModel, decodeWeights } = await import('../../../src/core/intents/classifier.js');
    const { intentText } = await import('../../../src/core/intents/index.js');
    const { readFileSync } = await import('node:fs');
    const { model } = await loadIntentModel();
    const classifier = createClassifier(model);
    const K = model.labels.length;
    const flat = decodeWeights(model.weights);
    const weights = new Map(model.features.map((f, i) => [f, flat.subarray(i * K, i * K + K)]));
    // The reference: the feature strings looked up in a Map and scored as predict did before (sums, then softmax).
    const byStrings = (text: string) => {
      const set = featureSet(text, model.ngram.min, model.ngram.max);
      const z = Float64Array.from(model.bias);
      for (const f of set) {
        const w = weights.get(f);
        if (w) for (let k = 0; k < K; k++) z[k]! += w[k]! * (1 / Math.sqrt(set.size));
      }
      const e = Array.from(z, (v) => Math.exp(v - Math.max(...z)));
      const sum = e.reduce((a, b) => a + b, 0);
      const p = e.map((v) => v / sum);
      const best = p.indexOf(Math.max(...p));
      return { label: model.labels[best], probability: p[best] };
    };
    const lines = ['bench/devset.jsonl', 'bench/intents.jsonl', 'bench/intents-fresh.jsonl', 'bench/kb-english-xihu.jsonl']
      .flatMap((file) => readFileSync(file, 'utf8').split('\n').filter(Boolean))
      .map((line) => (JSON.parse(line) as { q: string }).q);
    const awkward = [
      '$^ $ ^', '^^^$$$', '#len3 #s2 #nq', '#s1nq#len2n', '#len', 'a', ' ', '\t\n 孩子 \u3000 上学 ', '𠀀𠀁𠀂𠀀𠀁𠀂', '\ud800孩子\udc00', '\udc00\ud800',
      '😀😀😀 学校', '学校学校学校学校学校学校？', 'é vs é', '¿qué?', '领导您好：'.repeat(120), 'x'.repeat(3000),
    ];
    let seed = 17;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const alphabet = [...'学校孩子老师收费怎么办吗？。 #^$len1234567890sqa😀\ud800'];
    const generated = Array.from({ length: 400 }, () => Array.from({ length: 1 + Math.floor(random() * 60) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    const texts = [...lines, ...lines.map(intentText), ...awkward, ...generated];
    expect(texts.length).toBeGreaterThan(1500);
    for (const text of texts) expect(classifier.predict(text), text).toEqual(byStrings(text));
  });
});

describe('a model trained with the asking clause as features (askingClause)', () => {
  it('adds the bigrams of the clause that asks, and scores them the same by code points as by strings', async () => {
    const { createClassifier, features, featureSet, scoreFeatures, decodeWeights } = await import('../../../src/core/intents/classifier.js');
    const { fit, toModel } = await import('../../../train/intent-model.js');
    const story = '我家孩子去年转学过来，学籍一直没转过来，请领导督促一下';
    const question = '我家孩子去年转学过来，学籍要怎么转？';
    expect(features(story, 1, 3, true)).toContain('#q:督促');
    expect(features(question, 1, 3, true)).toContain('#q:怎么');
    expect(features(question, 1, 3, true).filter((f) => f.startsWith('#q:'))).not.toContain('#q:转学');
    expect(features('学籍怎么转', 1, 3, true).some((f) => f.startsWith('#q:'))).toBe(false);
    expect(features(story, 1, 3).some((f) => f.startsWith('#q:'))).toBe(false);
    const rows = [
      ...['请领导督促一下', '请教育局管一管', '希望领导给个说法'].map((ask) => ({ text: `孩子转学过来两个月，学籍没转，${ask}`, label: 'petition' as const, group: 'a' })),
      ...['学籍要怎么转？', '要带什么材料？', '能不能转学？'].map((ask) => ({ text: `孩子转学过来两个月，${ask}`, label: 'kb' as const, group: 'a' })),
    ];
    const bars = { threshold: 0.5, longFrom: 24, longThreshold: 0.5, shortCaseThreshold: 0.5 };
    const model = toModel(fit([...rows, ...rows], 7, true), bars, 'x', rows.length * 2, true);
    expect(model.askingClause).toBe(true);
    expect(model.features.some((f) => f.startsWith('#q:'))).toBe(true);
    const K = model.labels.length;
    const flat = decodeWeights(model.weights);
    const weights = new Map(model.features.map((f, i) => [f, flat.subarray(i * K, i * K + K)]));
    const classifier = createClassifier(model);
    for (const text of [story, question, ...rows.map((r) => r.text), '孩子，学校，老师，怎么办？请领导督促', '']) {
      const p = scoreFeatures(K, model.bias, (f) => weights.get(f), featureSet(text, 1, 3, true));
      const best = p.indexOf(Math.max(...p));
      expect(classifier.predict(text)).toEqual({ label: model.labels[best], probability: p[best] });
    }
  });
});
