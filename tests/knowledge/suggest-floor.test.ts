import { describe, expect, it } from 'vitest';
import { floorPoint, learnFloor, type FloorRow } from '../../bench/suggest-floor.js';
import { answerModel } from '../../src/knowledge/answer-model.js';
import { NO_ASSOCIATIONS } from '../../src/knowledge/associations.js';
import { THRESHOLDS } from '../../src/knowledge/decide.js';
import { buildIndex } from '../../src/knowledge/index.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { CORPUS, writeKnowledge } from './fixtures.js';

const kb = await loadKnowledge(writeKnowledge(CORPUS));
// Without the association table: these tests are about the floor learner, on scores the ranking alone gives.
const plain = buildIndex(kb.entries, kb.synonyms, { associations: NO_ASSOCIATIONS });

/** A labelled message on the inline base as the floor learner sees it (every message here is below the answer bar). */
function rowOf(q: string, expect: string | null): FloorRow & { q: string } {
  const e = plain.explain(q);
  // As the learner's rows (train-decision.ts): a list is judged by the best score among the titles it shows (decide.ts listScore).
  return { q, score: e.vector ? e.listScore : null, answered: false, answerable: expect !== null, listed: expect !== null && e.top3.includes(expect) };
}

// Parents' wording whose right entry the ranking lists, but with a low score (colloquial words the base lacks) …
const LOW_RIGHT: [string, string][] = [
  ['读书要带些啥东西', 'enrollment-materials-primary'],
  ['老师资格', 'guide-teacher-certification'],
  ['去别的学校念书', 'guide-student-transfer'],
  ['学籍转走', 'guide-student-transfer'],
];
// … questions no entry is about, sharing a word or two with it …
const OFF_TOPIC = ['羽毛球馆几点开门', '二手房过户要多久', '孩子发烧去哪个医院', '孩子近视了怎么办', '社保怎么交', '孩子学钢琴哪家好'];
// … and near-domain questions no entry answers, scoring about as high as the parents' wording.
const NEAR_DOMAIN = ['幼儿园几岁能上', '初中怎么报名', '公租房申请', '幼儿园入园报名'];

describe('the suggest floor follows from labelled data', () => {
  it('learned where lists help: a low-score right-first message gets "您是不是想问", an off-topic one nothing', () => {
    const rows = [...LOW_RIGHT.map(([q, id]) => rowOf(q, id)), ...OFF_TOPIC.map((q) => rowOf(q, null))];
    // The premise: every message here is below the ranking's answer bar, so before it got nothing.
    for (const r of rows) expect(r.score ?? 0, r.q).toBeLessThan(THRESHOLDS.answer);
    expect(plain.explain('读书要带些啥东西').top).toBe('enrollment-materials-primary');

    const floor = learnFloor(rows);
    const lowestRight = Math.min(...rows.filter((r) => r.listed).map((r) => r.score!));
    const highestOff = Math.max(...rows.filter((r) => !r.answerable).map((r) => r.score ?? 0));
    expect(floor).toBeGreaterThan(highestOff);
    expect(floor).toBeLessThanOrEqual(lowestRight);

    const index = buildIndex(kb.entries, kb.synonyms, { answerModel: { ...answerModel(), suggestFrom: floor }, associations: NO_ASSOCIATIONS });
    const low = index.decide('读书要带些啥东西');
    expect(low.kind).toBe('suggest');
    expect(low.kind === 'suggest' && low.alternatives[0]!.title).toBe('小学一年级报名材料');
    for (const q of OFF_TOPIC) expect(index.decide(q).kind, q).toBe('none');
  });

  it('rises above near-domain questions that must be declined when the data holds them', () => {
    const lowOnly = [...LOW_RIGHT.map(([q, id]) => rowOf(q, id)), ...OFF_TOPIC.map((q) => rowOf(q, null))];
    const withNear = [...lowOnly, ...NEAR_DOMAIN.map((q) => rowOf(q, null))];
    const floor = learnFloor(withNear);
    expect(floor).toBeGreaterThan(learnFloor(lowOnly));
    // At the learned floor the near-domain questions are shown fewer lists than lists holding a right entry.
    const at = floorPoint(withNear, floor);
    expect(at.declines).toBeLessThan(at.listed);
    // The parents' wording scoring below the near-domain questions now gets nothing: fewer lists, none misleading.
    expect(floor).toBeGreaterThan(rowOf('读书要带些啥东西', 'enrollment-materials-primary').score!);
    const index = buildIndex(kb.entries, kb.synonyms, { answerModel: { ...answerModel(), suggestFrom: floor }, associations: NO_ASSOCIATIONS });
    expect(index.decide('读书要带些啥东西').kind).toBe('none');
    for (const q of NEAR_DOMAIN) expect(index.decide(q).kind, q).toBe('none');
  });
});

describe('learnFloor', () => {
  const row = (score: number | null, kind: 'listed' | 'decline' | 'unlisted', answered = false): FloorRow => ({
    score,
    answered,
    answerable: kind !== 'decline',
    listed: kind === 'listed',
  });

  it('puts the floor where the lists it shows gain most, keeping the higher floor on a tie', () => {
    expect(learnFloor([row(0.5, 'listed'), row(0.3, 'decline'), row(0.2, 'listed')])).toBe(0.5);
    expect(learnFloor([row(0.5, 'listed'), row(0.3, 'decline'), row(0.2, 'listed'), row(0.25, 'listed')])).toBe(0.2);
  });

  it('does not count a list holding no right entry for an answerable message either way', () => {
    expect(learnFloor([row(0.5, 'listed'), row(0.3, 'unlisted'), row(0.2, 'listed')])).toBe(0.2);
  });

  it('ignores answered messages and messages with nothing matched; shows no lists when none would gain', () => {
    expect(learnFloor([row(0.9, 'decline', true), row(0.4, 'listed'), row(null, 'decline')])).toBe(0.4);
    expect(learnFloor([row(0.4, 'decline'), row(0.3, 'unlisted')])).toBe(1);
  });

  it('weighs a list to a must-decline message by the cost given', () => {
    const rows = [row(0.5, 'listed'), row(0.3, 'decline'), row(0.3, 'decline'), row(0.2, 'listed'), row(0.2, 'listed')];
    expect(learnFloor(rows)).toBe(0.5);
    expect(learnFloor(rows, 0.5)).toBe(0.2);
  });
});
