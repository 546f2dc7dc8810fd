import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/knowledge/index.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { createAnalyzer } from '../../src/knowledge/tokenize.js';
import { entry, writeKnowledge } from './fixtures.js';

/**
 * Rules found on the fourth bureau (bench/fourth-bureau, 广州市天河区): a school level the entry is not about,
 * 驾校 as another authority's word, and southern / colloquial words any bureau's parents use.
 */
const FILES: Record<string, string> = {
  'diploma.md': entry(
    'id: diploma\ntitle: 初中毕业证书遗失补办学历证明\ncategory: service-guide\nquestions: [初中毕业证丢了怎么办]',
    '初中毕业证书遗失的，可申请出具《初中毕业学历证明书》。\n\n## 办理地点\n\n区政务服务中心教育窗口。\n',
  ),
  'grade1.md': entry(
    'id: grade1\ntitle: 公办小学一年级招生办事指南\ncategory: service-guide\nquestions: [小一怎么报名]',
    '## 办理时间\n\n5月8日至5月17日网上报名。\n\n## 收费标准\n\n公办小学免收学费、杂费。\n',
  ),
  'meals.md': entry('id: meals\ntitle: 中小学校车和学生用餐管理\ncategory: policy', '偏远片区学校须使用专用校车。学校食堂每天公示菜谱，午餐费每餐不超过15元。对饭菜质量有意见的，可向学校家委会反映。\n'),
  'kindergarten.md': entry(
    'id: kindergarten\ntitle: 幼儿园入园报名\ncategory: enrollment\nquestions: [幼儿园什么时候报名]',
    '## 入园年龄\n\n年满3周岁的幼儿。\n\n## 报名时间\n\n5月下旬网上报名。\n',
  ),
  'points.md': entry(
    'id: points\ntitle: 积分入学答疑\ncategory: faq',
    '## 父母双方都可以积分吗？\n\n只能由父母一方作为申请人。\n\n## 租房可以加分吗？\n\n办理了租赁登记备案的按年限加分。\n',
  ),
};

const kb = await loadKnowledge(writeKnowledge(FILES));
const index = buildIndex(kb.entries, kb.synonyms);
const answer = (q: string) => {
  const d = index.decide(q);
  return d.kind === 'answer' ? d.best.id : null;
};

describe('fourth-bureau rules', () => {
  it('does not answer a question about another school level with an entry about one level', () => {
    expect(answer('初中毕业证丢了怎么补')).toBe('diploma');
    expect(answer('大学毕业证丢了怎么补')).toBeNull();
    const college = index.search('大学毕业证丢了怎么补', 1)[0]!;
    const junior = index.search('初中毕业证丢了怎么补', 1)[0]!;
    expect(college.score).toBeLessThan(junior.score * 0.5);
  });

  it('treats 驾校 as another authority’s business, kept whole by the segmenter', () => {
    expect(createAnalyzer().terms('驾校报名多少钱')).toEqual(['驾校', '报名', '收费']);
    expect(answer('驾校报名多少钱')).toBeNull();
    expect(answer('小一报名多少钱')).toBe('grade1');
  });

  it('credits a word the title contains although it was segmented otherwise (中小学校车 → 中小学校 + 车)', () => {
    expect(answer('有没有校车可以坐')).toBe('meals');
  });

  it('reads a child’s age in a message as the level it enters (满六岁 → 一年级, 三岁 → 幼儿园)', () => {
    expect(index.search('孩子差几天满六岁 能不能通融报名', 1)[0]!.id).toBe('grade1');
    expect(index.search('娃三岁了 能报名吗', 1)[0]!.id).toBe('kindergarten');
  });

  it('knows 饭堂, 爸爸妈妈 and 合法 as words any bureau’s parents use', () => {
    expect(createAnalyzer().terms('饭堂饭菜')).toEqual(['午餐', '午餐']);
    expect(createAnalyzer().terms('爸爸妈妈')).toEqual(['家长']);
    expect(createAnalyzer().terms('收费合法吗')).toEqual(['收费', '合规']);
    expect(answer('饭堂饭菜太差了 找谁反映')).toBe('meals');
    expect(answer('爸爸妈妈能不能一起算积分')).toBe('points');
  });
});
