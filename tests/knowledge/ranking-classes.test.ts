import { describe, expect, it } from 'vitest';
import { buildIndex, NO_FUSION } from '../../src/knowledge/index.js';
import { createJurisdiction } from '../../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { entryHoldsAsked } from '../../src/knowledge/facts.js';
import { entry, writeKnowledge } from './fixtures.js';

/** Entries written for these tests (issue 14's ranking classes), in the format a bureau publishes. */
const FILES: Record<string, string> = {
  'a/primary-materials.md': entry(
    'id: primary-materials\ntitle: 小学一年级报名材料\ncategory: enrollment\nquestions: [一年级报名要带哪些证件]\ntags: [报名材料]',
    '## 基本材料\n\n户口簿、房产证、儿童出生医学证明原件及复印件。\n',
  ),
  'a/junior-materials.md': entry(
    'id: junior-materials\ntitle: 初中入学材料\ncategory: enrollment\nquestions: [上初中报名带什么证件, 外区小学毕业回来上初中要什么手续]\ntags: [初中, 七年级]',
    '## 本区小学毕业生\n\n由小学统一报送，无需另交材料。\n\n## 外区小学毕业生\n\n小学毕业证书、学籍信息表、户口簿。\n',
  ),
  'a/private-schools.md': entry(
    'id: private-schools\ntitle: 民办中小学招生\ncategory: enrollment\nquestions: [私立学校怎么报名]\ntags: [民办学校]',
    '民办学校与公办学校同步招生，报名人数超过计划的电脑随机录取。\n',
  ),
  'a/primary-transfer.md': entry(
    'id: primary-transfer\ntitle: 小学生转学办理\ncategory: service-guide\nquestions: [小学生怎么办转学]\ntags: [转学, 小学]',
    '## 办理流程\n\n转入学校同意后，在学籍系统提交转学申请。\n',
  ),
  'a/junior-transfer.md': entry(
    'id: junior-transfer\ntitle: 初中生转学办理\ncategory: service-guide\nquestions: [初中生怎么办转学]\ntags: [转学, 初中]',
    '## 办理流程\n\n转入学校同意后，在学籍系统提交转学申请。\n',
  ),
  'a/aid-2026.md': entry(
    'id: aid-2026\ntitle: 2026年溪湖区家庭经济困难学生资助\ncategory: policy\nquestions: [溪湖区困难家庭学生有什么补助]\ntags: [资助]',
    '## 资助对象\n\n本区义务教育阶段家庭经济困难学生。\n',
  ),
  'a/school-bus.md': entry(
    'id: school-bus\ntitle: 校车接送服务\ncategory: faq\nquestions: [学校有没有校车接送]\ntags: [校车]',
    '## 乘车安排\n\n校车早上7点从各站点发车，家长需提前登记。\n',
  ),
  'a/calendar.md': entry(
    'id: calendar\ntitle: 家长开放日活动\ncategory: faq\nquestions: [家长开放日有哪些活动]\ntags: [开放日]',
    '## 报名时间\n\n每年5月10日至5月20日在学校网站报名。\n\n## 活动内容\n\n听课、参观食堂。\n',
  ),
  'a/open-day-rules.md': entry(
    'id: open-day-rules\ntitle: 家长开放日参观须知\ncategory: faq\nquestions: [家长开放日参观要注意什么]\ntags: [开放日, 参观]',
    '## 注意事项\n\n请勿在教学楼内大声喧哗。\n',
  ),
};

const kb = await loadKnowledge(writeKnowledge(FILES));
const home = createJurisdiction({ area: '溪湖区', city: '本溪市', province: '辽宁省' });
const index = buildIndex(kb.entries, kb.synonyms, { jurisdiction: home });
const top = (q: string, i = index) => i.search(q, 3).map((h) => h.id);
const score = (q: string, id: string) => index.search(q, 10).find((h) => h.id === id)?.score ?? 0;

describe('ranking: a school level read from the title, not from where the child comes from', () => {
  it('ranks the primary entry first, well clear of a junior entry that mentions 小学 only as origin', () => {
    expect(top('小学报名要带什么材料')[0]).toBe('primary-materials');
    expect(score('小学报名要带什么材料', 'primary-materials') - score('小学报名要带什么材料', 'junior-materials')).toBeGreaterThan(0.1);
  });

  it('still ranks the junior entry first when the message is about entering 初中', () => {
    expect(top('外区小学毕业了回来上初中要带什么材料')[0]).toBe('junior-materials');
  });

  it('reads 中小学 in a title as covering 初中: a 民办初中 question is not another level for it', () => {
    expect(top('民办初中怎么报名')[0]).toBe('private-schools');
  });
});

describe('ranking: a child’s age implies its school level', () => {
  it('a 9-year-old is at primary school, a 13-year-old at junior school', () => {
    expect(top('孩子9岁了想转学怎么办')[0]).toBe('primary-transfer');
    expect(top('孩子十三岁了想转学怎么办')[0]).toBe('junior-transfer');
  });

  it('a 6-year-old enters first grade: the primary materials entry beats the junior one', () => {
    expect(top('娃满6周岁了报名要带什么证件')[0]).toBe('primary-materials');
  });

  it('a level the message names itself wins over the age', () => {
    expect(top('孩子12岁了小学转学怎么办')[0]).toBe('primary-transfer');
  });

  it('an implied level costs nothing where no entry names it', () => {
    // 3岁 implies 幼儿园, 2岁 nothing; no open-day entry names a level, so the age must not lower their scores.
    for (const id of ['open-day-rules', 'calendar']) {
      expect(score('孩子3岁 家长开放日参观要注意什么', id)).toBe(score('孩子2岁 家长开放日参观要注意什么', id));
    }
  });
});

describe('ranking: the bureau’s own place names say where, not what', () => {
  it('ranks a message naming our own area, city or province as it ranks the message without the name', () => {
    const plain = buildIndex(kb.entries, kb.synonyms);
    for (const [named, bare] of [
      ['溪湖区困难学生有什么补助', '困难学生有什么补助'],
      ['本溪市溪湖区的学校有校车接送吗', '学校有校车接送吗'],
    ] as const) {
      expect(index.search(named, 10), named).toEqual(index.search(bare, 10));
      // Without a jurisdiction the place name is one more topic word, and the entry titled with it gains.
      expect(plain.search(named, 10), named).not.toEqual(plain.search(bare, 10));
    }
    expect(top('溪湖区困难学生有什么补助')[0]).toBe('aid-2026');
  });

  it('still answers another district’s question as elsewhere', () => {
    expect(index.decide('平山区有校车接送吗').kind).toBe('elsewhere');
  });
});

describe('ranking: holding the asked fact (off by default, a learned weight when given)', () => {
  it('tells which entries hold the kind of fact asked, by heading or by text', () => {
    const byId = (id: string) => kb.entries.find((e) => e.id === id)!;
    expect(entryHoldsAsked(byId('calendar'), ['time'])).toBe(1);
    expect(entryHoldsAsked(byId('aid-2026'), ['time'])).toBe(0);
    expect(entryHoldsAsked(byId('primary-transfer'), ['time', 'process'])).toBe(1);
    expect(entryHoldsAsked(byId('aid-2026'), ['conditions'])).toBe(1);
    expect(entryHoldsAsked(byId('primary-materials'), ['materials'])).toBe(1);
  });

  it('with a fact weight, a 几号 question ranks the entry with the dates above a neighbour sharing more topic words', () => {
    const q = '家长开放日参观几号';
    // About the fact weight alone: both indexes leave the bigram fusion out (fusion.ts), which orders by other evidence.
    const plain = buildIndex(kb.entries, kb.synonyms, { jurisdiction: home, fusion: NO_FUSION });
    // Off by default (ranking-model.ts): the neighbour whose title holds 参观 is first.
    expect(top(q, plain)[0]).toBe('open-day-rules');
    const withFact = buildIndex(kb.entries, kb.synonyms, { jurisdiction: home, ranking: { fact: 0.1 }, fusion: NO_FUSION });
    expect(top(q, withFact)[0]).toBe('calendar');
    // A message asking no kind of fact ranks the same either way.
    expect(withFact.search('家长开放日参观要注意什么', 5)).toEqual(plain.search('家长开放日参观要注意什么', 5));
  });
});
