import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../../src/knowledge/normalize.js';
import { splitSections } from '../../src/knowledge/markdown.js';
import { createAnalyzer } from '../../src/knowledge/tokenize.js';
import { TYPOS } from '../../src/knowledge/lexicon.js';

describe('normalizer', () => {
  const norm = createNormalizer(TYPOS);
  it('folds full width, case, traditional characters and typos', () => {
    expect(norm('ＡＢＣ１２３４５　熱線')).toBe('abc12345 热线');
    expect(norm('外地戶口的小孩在溪湖能唸書嗎')).toBe('外地户口的小孩在溪湖能念书吗');
    expect(norm('户口薄和居住正，学藉号')).toBe('户口簿和居住证,学籍号');
  });
});

describe('analyzer (jieba + lexicon)', () => {
  const a = createAnalyzer();
  it('segments real parent messages into canonical terms without stopwords', () => {
    expect(a.terms('娃2020年8月30号生的今年能上一年级不')).toEqual(['孩子', '2020', '8', '30', '出生', '一年级']);
    expect(a.terms('户口和房子不在一起去哪上学')).toEqual(['人户分离', '地点', '入学']);
  });
  it('maps synonyms both ways to one canonical term', () => {
    expect(a.terms('教资')).toEqual(a.terms('教师资格证'));
    expect(a.terms('摇号')).toEqual(['派位']);
    expect(a.terms('户口')).toEqual(a.terms('户籍'));
    expect(a.terms('念书')).toEqual(['入学']);
    expect(a.terms('小升初')).toEqual(['初中']);
    expect(a.terms('小学一年级')).toEqual(['小学', '一年级']);
  });
  it('reads an unknown word that starts with another authority’s business as that business', () => {
    expect(a.terms('社保卡怎么办理')).toEqual(['社保', '流程']);
    expect(a.terms('交学费')).toEqual(['收费']);
    expect(a.terms('资料费')).toEqual(['收费']);
    expect(a.terms('电费')).toEqual(['电费']);
  });
  it('does not map a word that merely contains a synonym', () => {
    expect(a.terms('上学期')).toEqual(['学期']);
  });
  it('takes a bureau’s own synonyms and typos', () => {
    const own = createAnalyzer({ groups: [['溪湖一小', '一小']], typos: [['溪胡', '溪湖']] });
    expect(own.terms('一小在溪胡哪')).toEqual(['溪湖一小', '溪湖']);
  });
});

describe('splitSections', () => {
  it('splits on ## headings, keeps ### inside and ignores headings in code fences', () => {
    expect(splitSections('# 标题\n\n导语。\n\n## 申请材料\n\n### 原件\n身份证\n```\n## 不是标题\n```\n## 办理时限 ##\n15个工作日')).toEqual([
      { heading: null, text: '导语。' },
      { heading: '申请材料', text: '### 原件\n身份证\n```\n## 不是标题\n```' },
      { heading: '办理时限', text: '15个工作日' },
    ]);
  });
});
