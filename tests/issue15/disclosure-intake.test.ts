import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerSlackCatalog } from '../../src/core/i18n/slack.js';
import { caseMessage } from '../../src/channels/slack/blocks.js';
import { runStaffCommand } from '../../src/channels/console/staff.js';
import { draftAnnualReport, loadAnnualTemplates } from '../../src/core/reports/annual/index.js';
import { APPLICANT_TYPES } from '../../src/core/reports/annual/model.js';
import { createAnnualSource } from '../../src/storage/annual-report-repo.js';
import { CREDIT_CODE, PERSON_ID } from '../helpers/identity-numbers.js';
import { FRIDAY_MORNING, chat, labels, makeEngine, tempDbPath, texts } from '../core/engine/harness.js';

/** Issue 15 item 5: 政府信息公开申请 taken as 《政府信息公开条例》第二十九条 asks, and 第三十九条. */
registerSlackCatalog();
const templates = loadAnnualTemplates(join(process.cwd(), 'reports/annual'));
const col = (name: string) => APPLICANT_TYPES.indexOf(name as (typeof APPLICANT_TYPES)[number]);

async function fileRequest(c: ReturnType<typeof chat>, steps: { org?: string; name: string; form: '纸质' | '电子'; method: string; where?: string }) {
  let r = await c.say('我要申请政府信息公开');
  expect(texts(r)).toBe('请选择申请人类型（依照《政府信息公开条例》第二十九条，申请须写明申请人）：');
  expect(labels(r)).toEqual(['自然人', '法人或其他组织', '取消']);
  r = await c.press(r, steps.org ? '法人或其他组织' : '自然人');
  if (steps.org) {
    expect(labels(r)).toEqual(['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '取消']);
    r = await c.press(r, steps.org);
    expect(texts(r)).toBe('请填写单位全称：');
  } else expect(texts(r)).toBe('请填写申请人姓名：');
  r = await c.say(steps.name);
  if (steps.org) {
    expect(texts(r)).toBe('请输入单位的统一社会信用代码（18 位，见营业执照或登记证书）：');
    r = await c.say(CREDIT_CODE);
  } else {
    expect(texts(r)).toBe('请选择申请人的身份证明（依照《政府信息公开条例》第二十九条，申请须提供身份证明）：');
    expect(labels(r)).toEqual(['居民身份证', '港澳台居民居住证或通行证', '护照', '其他证件', '取消']);
    r = await c.press(r, '居民身份证');
    expect(texts(r)).toBe('请输入居民身份证号码：');
    r = await c.say(PERSON_ID);
  }
  expect(texts(r)).toContain('请描述您要申请公开的政府信息：信息的名称、文号，或者便于查询的特征性描述');
  r = await c.say('溪湖区2026年义务教育学校招生计划（溪教发〔2026〕12号）');
  expect(texts(r)).toContain('政府信息公开申请须写明联系方式');
  expect(labels(r)).toEqual(['取消']); // no "不留电话": 第二十九条 requires a contact
  r = await c.say('不留');
  expect(texts(r)).toBe('政府信息公开申请须写明联系方式（《政府信息公开条例》第二十九条），请留下联系电话、电子邮箱或通讯地址。');
  r = await c.say('13912345678');
  expect(texts(r)).toBe('您希望以什么形式获取这些信息？');
  expect(labels(r)).toEqual(['纸质', '电子', '取消']);
  r = await c.press(r, steps.form);
  expect(labels(r)).toEqual(steps.form === '纸质' ? ['邮寄', '自取', '取消'] : ['电子邮件', '自取', '取消']);
  r = await c.press(r, steps.method);
  if (steps.where) {
    if (steps.method === '电子邮件') {
      expect(texts(r)).toBe('请填写接收信息的电子邮箱：');
      expect(texts(await c.say('zhang@'))).toContain('“zhang@”不是有效的电子邮箱');
    } else expect(texts(r)).toBe('请填写邮寄地址（省市区、街道门牌号和收件人）：');
    r = await c.say(steps.where);
  }
  return r;
}

describe('政府信息公开申请 intake (第二十九条)', () => {
  it('asks for applicant, name, description, contact, form and delivery, and stores them as fields', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const confirm = await fileRequest(c, { name: '张三', form: '纸质', method: '邮寄', where: '辽宁省本溪市溪湖区彩屯街道河东路12号 张三 收' });
    expect(texts(confirm)).toBe(
      '请确认您的政府信息公开申请：\n申请人：张三（自然人）\n身份证明：居民身份证 110105********002X\n联系方式：139****5678\n所需信息：溪湖区2026年义务教育学校招生计划（溪教发〔2026〕12号）\n' +
        '获取方式：纸质，邮寄（辽宁省本溪市溪湖区彩屯街道河东路12号 张三 收）\n确认无误请点“确认提交”，需要修改请点“修改”。',
    );
    expect(texts(await c.press(confirm, '确认提交'))).toContain('已登记，编号 XH-2026-000001（政府信息公开申请）');
    expect(await cases.get('XH-2026-000001')).toMatchObject({
      type: 'disclosure', citizenName: '张三', applicantType: '自然人', contact: '13912345678',
      deliveryForm: '纸质', deliveryMethod: '邮寄', deliveryAddress: '辽宁省本溪市溪湖区彩屯街道河东路12号 张三 收',
      applicantIdType: '居民身份证', applicantIdNumber: PERSON_ID,
      text: '溪湖区2026年义务教育学校招生计划（溪教发〔2026〕12号）',
    });
    // Staff see the fields: the console's /case show and the Slack case post.
    const shown = await runStaffCommand(cases, '/case show XH-2026-000001', 'zh');
    expect(shown).toContain('申请人：张三（自然人）\n身份证明：居民身份证 110105********002X');
    expect(shown).not.toContain(PERSON_ID);
    expect(shown).toContain('获取方式：纸质，邮寄（辽宁省本溪市溪湖区彩屯街道河东路12号 张三 收）');
    // The channel post shows what the request asks for; name and address only in the audited /case CODE detail.
    const record = (await cases.get('XH-2026-000001'))!;
    const post = JSON.stringify(caseMessage(record, { locale: 'zh', timeZone: 'Asia/Shanghai', now: FRIDAY_MORNING }).blocks);
    expect(post).toContain('*申请人*：见 /case XH-2026-000001（自然人）\\n*身份证明*：居民身份证 110105********002X\\n*获取方式*：纸质，邮寄\\n*邮寄地址/电子邮箱*：见 /case XH-2026-000001');
    expect(post).not.toContain('河东路');
    expect(post).not.toContain(PERSON_ID);
    const detail = JSON.stringify(caseMessage(record, { locale: 'zh', timeZone: 'Asia/Shanghai', now: FRIDAY_MORNING, full: true }).blocks);
    // The 身份证明 number stays masked even in the audited detail.
    expect(detail).not.toContain(PERSON_ID);
    expect(detail).toContain('*申请人*：张三（自然人）\\n*身份证明*：居民身份证 110105********002X\\n*获取方式*：纸质，邮寄\\n*邮寄地址/电子邮箱*：辽宁省本溪市溪湖区彩屯街道河东路12号 张三 收');
    await db.close();
  });

  it('takes an organisation by its annual-report column, and the report counts it without guessing 自然人', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const confirm = await fileRequest(c, { org: '法律服务机构', name: '辽宁某某律师事务所', form: '电子', method: '电子邮件', where: 'office@example.cn' });
    expect(texts(confirm)).toContain('申请人：辽宁某某律师事务所（法律服务机构）\n身份证明：统一社会信用代码 913501********0Y43');
    expect(texts(confirm)).toContain('获取方式：电子，电子邮件（office@example.cn）');
    await c.press(confirm, '确认提交');
    await cases.act('XH-2026-000001', { kind: 'claim' }, 'console');
    await cases.act('XH-2026-000001', { kind: 'close', note: '招生计划已发送至您的邮箱。', disclosureResult: '（一）予以公开' }, 'console');
    const { report, warnings } = await draftAnnualReport({
      year: 2026, bureau: '本溪市溪湖区教育局', timezone: 'Asia/Shanghai', now: new Date('2027-01-05T02:00:00Z'),
      serviceGuides: 0, source: createAnnualSource(db), templates,
    });
    expect(report.table3.received[col('法律服务机构')]).toBe(1);
    expect(report.table3.results.disclosed[col('法律服务机构')]).toBe(1);
    expect(warnings.join('\n')).not.toContain('已按“自然人”统计');
    await db.close();
  });

  it('第三十九条: a complaint filed as a request is answered 不予处理 in fit words and counted in 三（五）1', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const confirm = await fileRequest(c, { name: '李四', form: '纸质', method: '自取' });
    expect(texts(confirm)).toContain('获取方式：纸质，自取\n');
    await c.press(confirm, '确认提交');
    await cases.act('XH-2026-000001', { kind: 'claim' }, 'console');
    const out = await runStaffCommand(cases, '/case notprocess XH-2026-000001 您反映的是学校收费问题，属于投诉事项。', 'zh');
    expect(out).toBe('XH-2026-000001：已办结');
    const closed = await cases.get('XH-2026-000001');
    expect(closed).toMatchObject({ closeBasis: 'not-processed', disclosureResult: '（五）不予处理/1.信访举报投诉类申请' });
    const events = await cases.history('XH-2026-000001');
    const told = cases.citizenMessage(closed!, events.at(-1)!)!.text;
    expect(told).toContain('依照《政府信息公开条例》第三十九条，不作为政府信息公开申请处理，本件已办结。\n办结说明：您反映的是学校收费问题，属于投诉事项。\n您可以通过投诉渠道提出：在这里发送“我要投诉”即可登记');
    expect(told).toContain('办理结果：不予处理（信访举报投诉类申请）');
    const { report } = await draftAnnualReport({
      year: 2026, bureau: '本溪市溪湖区教育局', timezone: 'Asia/Shanghai', now: new Date('2027-01-05T02:00:00Z'),
      serviceGuides: 0, source: createAnnualSource(db), templates,
    });
    expect(report.table3.results['not-processed.petition'][col('自然人')]).toBe(1);
    await db.close();
  });

  it('lets staff close a request from the console with a numbered result, and lists the numbers', async () => {
    const { db, cases } = await makeEngine(tempDbPath());
    const filed = await cases.file({ type: 'disclosure', channel: 'console', chatId: 'c1', text: '申请公开校车路线', actor: 'citizen' });
    await cases.act(filed.code, { kind: 'claim' }, 'console');
    const list = await runStaffCommand(cases, '/case results', 'zh');
    expect(list).toContain('  1. （一）予以公开');
    expect(list).toContain('  11. （四）无法提供/1.本机关不掌握相关政府信息');
    expect(await runStaffCommand(cases, `/case close ${filed.code} 结果=99 不掌握`, 'zh')).toContain('没有第 99 项办理结果');
    expect(await runStaffCommand(cases, `/case close ${filed.code} 结果=11 本机关未制作校车路线信息。`, 'zh')).toBe(`${filed.code}：已办结`);
    expect(await cases.get(filed.code)).toMatchObject({ disclosureResult: '（四）无法提供/1.本机关不掌握相关政府信息', closeNote: '本机关未制作校车路线信息。' });
    await db.close();
  });
});
