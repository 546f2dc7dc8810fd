import { beforeAll, describe, expect, it } from 'vitest';
import { buildIndex, type KnowledgeIndex } from '../../../src/knowledge/index.js';
import { createJurisdiction } from '../../../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../../../src/knowledge/loader.js';
import { PERSON_ID } from '../../helpers/identity-numbers.js';
import { chat, labels, makeEngine, tempDbPath, texts } from './harness.js';

/**
 * Review 18b, B12: the information asked for, typed at the applicant-type step of a 政府信息公开申请, was answered
 * from the knowledge base — with the 第三十九条 "不作为政府信息公开申请处理" paragraph — and then dropped, so the
 * applicant had to type it again at the description step. Now it is kept as the description and the step asked again.
 * Over the real knowledge base in knowledge/, which holds that paragraph.
 */
let index: KnowledgeIndex;
beforeAll(async () => {
  const loaded = await loadKnowledge('knowledge');
  index = buildIndex(loaded.entries, loaded.synonyms, { jurisdiction: createJurisdiction({ area: '溪湖区', city: '本溪市', province: '辽宁省' }) });
});

describe('a 政府信息公开申请 whose information is named before its step', () => {
  it('at the applicant-type step: kept as the description, the step asked again, no knowledge answer; shown at the confirm', async () => {
    const { engine, db } = await makeEngine(tempDbPath(), undefined, { current: () => index });
    const c = chat(engine);
    await c.say('我要申请政府信息公开');
    let r = await c.say('申请公开2026年溪湖区学区划分方案');
    expect(texts(r)).toBe(
      '已记下您要申请公开的信息：“申请公开2026年溪湖区学区划分方案”（提交前会请您确认，可以修改）。\n请选择申请人类型（依照《政府信息公开条例》第二十九条，申请须写明申请人）：',
    );
    expect(texts(r)).not.toContain('第三十九条');
    expect(labels(r)).toEqual(['自然人', '法人或其他组织', '取消']);
    r = await c.press(r, '自然人');
    r = await c.say('张三');
    r = await c.press(r, '居民身份证');
    r = await c.say(PERSON_ID);
    // The description is not asked again: the contact comes next.
    expect(texts(r)).not.toContain('请描述您要申请公开的政府信息');
    expect(texts(r)).toContain('政府信息公开申请须写明联系方式');
    r = await c.say('13912345678');
    r = await c.press(r, '电子');
    r = await c.press(r, '自取');
    expect(texts(r)).toContain('所需信息：申请公开2026年溪湖区学区划分方案');
    await db.close();
  });

  it('at the name step: not taken as the applicant’s name', async () => {
    const { engine, db } = await makeEngine(tempDbPath(), undefined, { current: () => index });
    const c = chat(engine);
    let r = await c.say('我要申请政府信息公开');
    r = await c.press(r, '自然人');
    r = await c.say('关于2026年义务教育招生工作的通知');
    expect(texts(r)).toBe('已记下您要申请公开的信息：“关于2026年义务教育招生工作的通知”（提交前会请您确认，可以修改）。\n请填写申请人姓名：');
    await db.close();
  });

  it('a 投诉 worded as a request at that step is not taken as the information', async () => {
    const { engine, db } = await makeEngine(tempDbPath(), undefined, { current: () => index });
    const c = chat(engine);
    await c.say('我要申请政府信息公开');
    const r = await c.say('我要投诉学校不公开收费标准');
    expect(texts(r)).not.toContain('已记下您要申请公开的信息');
    await db.close();
  });
});
