import { describe, expect, it } from 'vitest';
import { THRESHOLDS } from '../../src/knowledge/decide.js';
import { buildIndex, buildIndexAsync } from '../../src/knowledge/index.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { entryData } from '../../src/knowledge/packed-entry.js';
import { createAnalyzer } from '../../src/knowledge/tokenize.js';
import { termWeight } from '../../src/knowledge/term-weights.js';
import { entry, writeKnowledge } from './fixtures.js';

/**
 * Rules that make the engine work on a bureau's files it was not tuned on (bench/third-bureau):
 * qualifier words in titles, headings naming another authority's business, a document named only in a
 * materials list, place names, A-not-A question words, and the build that yields to queries.
 */
const FILES: Record<string, string> = {
  'teacher.md': entry(
    'id: teacher\ntitle: 幼儿园、小学、初级中学教师资格认定\ncategory: service-guide\nquestions: [教师资格证认定在哪里办]',
    '## 申请材料\n\n身份证、学历证书、居住证、教师资格考试合格证明。\n\n## 办理地点\n\n区政务服务中心。\n',
  ),
  'primary.md': entry(
    'id: primary\ntitle: 2026年小学一年级招生工作实施细则\ncategory: enrollment',
    '## 一、招生原则\n\n免试就近入学，不举行任何形式的入学考试。\n\n## 二、登记时间\n\n5月6日至5月20日网上登记。\n',
  ),
  'zhongkao.md': entry(
    'id: zhongkao\ntitle: 初中毕业升学考试报名\ncategory: enrollment\ntags: [中考]',
    '## 报名时间\n\n3月20日至3月31日。\n\n## 志愿填报\n\n考试结束后网上填报高中志愿，分两个批次。\n',
  ),
  'migrant.md': entry(
    'id: migrant\ntitle: 进城务工人员随迁子女入学\ncategory: enrollment',
    '## 需提交的材料\n\n居住证、社会保险缴纳证明（社保证明）、劳动合同。\n',
  ),
};

const kb = await loadKnowledge(writeKnowledge(FILES));
const index = buildIndex(kb.entries, kb.synonyms);
const top = (q: string) => index.search(q, 1)[0]?.id;

describe('generalisation rules', () => {
  it('reads the levels listed before a title’s subject as qualifiers: 幼儿园 questions do not get 教师资格认定', () => {
    const teacher = index.search('幼儿园怎么报名', 5).find((h) => h.id === 'teacher');
    expect(teacher!.score).toBeLessThan(THRESHOLDS.answer);
    expect(top('小學入學要考試嗎')).toBe('primary');
    const d = index.decide('幼儿园教师资格认定在哪办');
    expect(d.kind === 'answer' && [d.best.id, d.best.section]).toEqual(['teacher', '办理地点']);
  });

  it('counts a heading as naming another authority’s word (志愿 in 志愿填报), and 中考 is not 高中', () => {
    expect(createAnalyzer().terms('中考志愿怎么填')).toEqual(['中考', '志愿', '填']);
    const d = index.decide('中考志愿怎么填 有几个批次');
    expect(d.kind === 'answer' && d.best.id).toBe('zhongkao');
  });

  it('does not answer how to get a document with an entry that only lists it as a material', () => {
    // Not answered; since the suggest floor was learned with the written data (0.26) they may get "您是不是想问".
    expect(index.decide('居住证在哪办理').kind).not.toBe('answer');
    expect(index.decide('身份证丢了去哪补办').kind).not.toBe('answer');
  });

  it('treats another authority’s word in the body as context when the message is on the entry’s topic', () => {
    const d = index.decide('随迁子女入学要交社保证明吗');
    expect(d.kind === 'answer' && d.best.id).toBe('migrant');
    expect(index.decide('社保缴费基数今年多少').kind).toBe('none');
  });

  it('weighs place names little and drops A-not-A question words and heading numerals', () => {
    expect(termWeight('沈阳')).toBe(1);
    expect(termWeight('甘井子区')).toBe(1);
    expect(termWeight('转学')).toBeGreaterThan(5);
    expect(createAnalyzer().terms('居住证办了4个月够不够报名')).toEqual(['居住证', '4', '报名']);
    expect(createAnalyzer().terms('七、新生报到')).toEqual(['新生', '报名']);
    expect(createAnalyzer().terms('1234567')).toEqual(['1234567']);
    expect(createAnalyzer().terms('在不在 有人吗')).toEqual([]);
    expect(index.decide('孩子出生了怎么落户口').kind).toBe('none');
    expect(createAnalyzer().terms('家里困难 小学生有没有补助')).toEqual(['资助', '小学', '孩子', '资助']);
  });

  it('builds the same index asynchronously, yielding to the event loop between chunks', async () => {
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const many = Array.from({ length: 300 }, (_, i) => ({ ...entryData(kb.entries[i % kb.entries.length]!), id: `e-${i}` }));
    const asyncIndex = await buildIndexAsync(many, kb.synonyms);
    clearInterval(ticker);
    expect(turns).toBeGreaterThan(2);
    const syncIndex = buildIndex(many, kb.synonyms);
    for (const q of ['小學入學要考試嗎', '中考志愿怎么填', '居住证在哪办理']) expect(asyncIndex.search(q)).toEqual(syncIndex.search(q));
  });
});
