import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAskAct, DEFAULT_ASK_ACT_MODEL, loadAskActModel, type AskActModel } from '../../../src/core/intents/ask-or-act.js';
import { encodeWeights } from '../../../src/core/intents/classifier.js';
import { detectIntent, loadIntents, type IntentSet } from '../../../src/core/intents/index.js';

// Written for this test (not taken from any evaluation or training set).
/** A family story the corpus classifier alone makes a petition, whose ask is a rule: does a record stay, can it be removed. */
const STORY_QUESTION = '孩子被学校记了一个警告处分，说是打架，我们觉得处理重了，处分会进档案吗？毕业的时候能撤销吗？';
/** Petitions no pattern names (the classifier makes them): a request to act, and a wrong told with a rule-shaped ask. */
const ASKED_TO_ACT = '领导您好，我家孩子报名时学校收了我们三百元资料费，没有给收据，别的学校都不收，这笔钱该退吗？请尽快处理。';
const WRONG_TOLD = '孩子在学校被同学推倒磕破了头，缝了三针，对方家长一直不露面，学校说让我们自己协商，这种事情按规定学校该不该承担责任？';
/** A petition a pattern makes (a complaint word): the ask-or-act model never sees it. */
const COMPLAINT = '我要投诉学校食堂，饭菜变质了，孩子吃了拉肚子，这种情况能不能退伙食费？';

let withAsk: IntentSet;
let without: IntentSet;
let rules: IntentSet;
let dir: string;
beforeAll(async () => {
  withAsk = await loadIntents();
  without = await loadIntents(undefined, { askAct: null });
  rules = await loadIntents(undefined, { model: null });
  dir = mkdtempSync(join(tmpdir(), 'ask-act-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A model that calls every message a rule question (bias only), for the wiring. */
const everythingAsks = (ceiling: number): AskActModel => ({
  format: 'civicdesk-ask-act',
  version: 1,
  bar: 0.5,
  ceiling,
  bias: 10,
  features: [],
  weights: encodeWeights([]),
  trainedOn: { messages: 0, sha256: '' },
});

describe('ask or act (issue 14): a classifier petition whose ask is a rule question', () => {
  it('is answered as a knowledge question with the shipped model, and was a petition without it', () => {
    expect(detectIntent(rules, STORY_QUESTION).intent).toBe('kb');
    expect(detectIntent(without, STORY_QUESTION).intent).toBe('petition');
    expect(detectIntent(withAsk, STORY_QUESTION).intent).toBe('kb');
  });

  it('leaves requests to act and told wrongs as petitions', () => {
    for (const text of [ASKED_TO_ACT, WRONG_TOLD]) {
      expect(detectIntent(rules, text).intent, text).toBe('kb');
      expect(detectIntent(without, text).intent, text).toBe('petition');
      expect(detectIntent(withAsk, text).intent, text).toBe('petition');
    }
  });

  it('never overrules a pattern, and only acts under the classifier ceiling', () => {
    const set: IntentSet = { ...without, askAct: createAskAct(everythingAsks(1)) };
    expect(detectIntent(set, COMPLAINT).intent).toBe('petition');
    expect(detectIntent(set, ASKED_TO_ACT).intent).toBe('kb');
    const capped: IntentSet = { ...without, askAct: createAskAct(everythingAsks(0)) };
    expect(detectIntent(capped, ASKED_TO_ACT).intent).toBe('petition');
  });

  it('goes with the classifier: rules only load no ask-or-act model', () => {
    expect(rules.askAct).toBeUndefined();
    expect(withAsk.askAct?.model.bar).toBeGreaterThanOrEqual(0.5);
  });

  it('refuses a broken model file, naming it and the command that writes it', async () => {
    const model = JSON.parse(readFileSync(DEFAULT_ASK_ACT_MODEL, 'utf8')) as { features: string[] };
    model.features.push('多出来的特征');
    const path = join(dir, 'broken.json');
    writeFileSync(path, JSON.stringify(model));
    await expect(loadAskActModel(path)).rejects.toThrow(/Invalid ask-or-act model .*broken\.json[\s\S]*every feature must have one weight/);
    await expect(loadIntents(undefined, { askAct: join(dir, 'missing.json') })).rejects.toThrow(/Cannot read the ask-or-act model .*missing\.json.*npm run train:ask/);
  });
});
