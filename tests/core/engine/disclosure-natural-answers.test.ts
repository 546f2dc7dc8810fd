import { describe, expect, it } from 'vitest';
import { idNumberFromAnswer, nameFromAnswer } from '../../../src/core/engine/applicant-answers.js';
import { CREDIT_CODE, CREDIT_CODE_MASKED, PERSON_ID, PERSON_ID_MASKED } from '../../helpers/identity-numbers.js';
import { chat, labels, makeEngine, tempDbPath, texts } from './harness.js';

/**
 * The 政府信息公开申请's name and 身份证明 steps answered the way people answer (review 16, item 13): "我叫张三",
 * "身份证号码是…". The value is read out of the sentence; what is stored is the value, and the summary shows it masked.
 */
type Chat = ReturnType<typeof chat>;

/** Another resident ID whose check digit matches (GB 11643), for a message holding two numbers. */
const OTHER_ID = '210502198001011234';

async function toNameStep(c: Chat, applicant: '自然人' | '法人或其他组织' = '自然人') {
  let r = await c.say('我要申请政府信息公开');
  r = await c.press(r, applicant);
  if (applicant === '法人或其他组织') r = await c.press(r, '法律服务机构');
  return r;
}

/** Description, phone, form and delivery after the 身份证明; returns the confirm summary. */
async function rest(c: Chat) {
  let r = await c.say('溪湖区2026年义务教育学校招生计划');
  expect(texts(r)).toContain('政府信息公开申请须写明联系方式');
  r = await c.say('13912345678');
  r = await c.press(r, '纸质');
  return c.press(r, '自取');
}

describe('disclosure intake: name and ID number inside a sentence', () => {
  it('"我叫张三" and "身份证号码是<ID>" give the name 张三 and the number; the summary shows it masked', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await toNameStep(c);
    let r = await c.say('我叫张三');
    expect(labels(r)).toEqual(['居民身份证', '港澳台居民居住证或通行证', '护照', '其他证件', '取消']);
    r = await c.press(r, '居民身份证');
    r = await c.say(`身份证号码是${PERSON_ID}`);
    expect(texts(r)).toContain('请描述您要申请公开的政府信息');
    const confirm = await rest(c);
    expect(texts(confirm)).toContain(`申请人：张三（自然人）\n身份证明：居民身份证 ${PERSON_ID_MASKED}\n`);
    expect(texts(confirm)).not.toContain(PERSON_ID);
    expect(texts(confirm)).not.toContain('我叫');
    await c.press(confirm, '确认提交');
    expect(await cases.get('XH-2026-000001')).toMatchObject({ citizenName: '张三', applicantIdType: '居民身份证', applicantIdNumber: PERSON_ID });
    await db.close();
  });

  it('a wrong check digit inside a sentence is named masked; a phone beside the ID is not taken for it; two IDs are asked again', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await toNameStep(c);
    let r = await c.say('姓名：李四。');
    r = await c.press(r, '居民身份证');
    r = await c.say('我的身份证号是110105194912310021');
    expect(texts(r)).toBe('证件号码 110105********0021 的校验位与号码不符，可能有一位输错了，请核对后重新输入。\n请输入居民身份证号码：');
    r = await c.say(`我的身份证${PERSON_ID}，孩子的身份证${OTHER_ID}`);
    expect(texts(r)).toBe('您的消息里有不止一个号码，请只发送申请人的证件号码。\n请输入居民身份证号码：');
    expect(texts(r)).not.toContain(OTHER_ID);
    r = await c.say(`身份证号：110105 19491231 002x，电话13912345678`);
    expect(texts(r)).toContain('请描述您要申请公开的政府信息');
    const confirm = await rest(c);
    expect(texts(confirm)).toContain(`申请人：李四（自然人）\n身份证明：居民身份证 ${PERSON_ID_MASKED}\n`);
    await c.press(confirm, '确认提交');
    expect(await cases.get('XH-2026-000001')).toMatchObject({ citizenName: '李四', applicantIdNumber: PERSON_ID });
    await db.close();
  });

  it('an organisation: "单位全称是…" and "统一社会信用代码：…"', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await toNameStep(c, '法人或其他组织');
    let r = await c.say('单位全称是辽宁某某（本溪）律师事务所');
    expect(texts(r)).toBe('请输入单位的统一社会信用代码（18 位，见营业执照或登记证书）：');
    r = await c.say(`统一社会信用代码：${CREDIT_CODE}`);
    expect(texts(r)).toContain('请描述您要申请公开的政府信息');
    const confirm = await rest(c);
    expect(texts(confirm)).toContain(`申请人：辽宁某某（本溪）律师事务所（法律服务机构）\n身份证明：统一社会信用代码 ${CREDIT_CODE_MASKED}`);
    await c.press(confirm, '确认提交');
    expect(await cases.get('XH-2026-000001')).toMatchObject({ citizenName: '辽宁某某（本溪）律师事务所', applicantIdNumber: CREDIT_CODE });
    await db.close();
  });

  it('English answers: "My name is Zhang San", "my ID number is …"', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await c.say('/lang en', { command: 'lang' });
    let r = await c.say('I want to apply for government information disclosure');
    r = await c.press(r, 'Individual');
    expect(texts(r)).toBe("Please enter the applicant's name:");
    r = await c.say('My name is Zhang San');
    r = await c.press(r, 'Resident ID card');
    r = await c.say(`my ID number is ${PERSON_ID.toLowerCase()}`);
    // Taken: the flow goes on to the description (the opening names the request, it is not the information asked for).
    expect(texts(r)).toMatch(/^Please describe the information you ask for/);
    r = await c.say('The 2026 enrolment plan of Caitun Primary School');
    expect(texts(r)).toMatch(/^An information request must give a contact/);
    r = await c.say('13912345678');
    r = await c.press(r, '纸质');
    r = await c.press(r, '自取');
    expect(texts(r)).toContain('Zhang San');
    expect(texts(r)).not.toContain(PERSON_ID);
    await c.press(r, 'Submit');
    expect(await cases.get('XH-2026-000001')).toMatchObject({ citizenName: 'Zhang San', applicantIdNumber: PERSON_ID });
    await db.close();
  });

  it('a bare answer is kept as typed; a lead-in with no name is refused', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await toNameStep(c);
    expect(texts(await c.say('我叫'))).toBe('请填写姓名或单位名称（2 到 50 个字）。\n请填写申请人姓名：');
    await db.close();
  });
});

describe('nameFromAnswer / idNumberFromAnswer', () => {
  it.each([
    ['张三', 'person', '张三'],
    ['我叫张三', 'person', '张三'],
    ['我是王丽', 'person', '王丽'],
    ['姓名：李四', 'person', '李四'],
    ['姓名赵六', 'person', '赵六'],
    ['申请人：王五', 'person', '王五'],
    ['我的名字叫钱七，是孩子的妈妈', 'person', '钱七'],
    ['本人 孙八。', 'person', '孙八'],
    ['阿依古丽·买买提', 'person', '阿依古丽·买买提'],
    ['Name: Li Wei', 'person', 'Li Wei'],
    ['我们是本溪市某某科技有限公司', 'org', '本溪市某某科技有限公司'],
    ['单位名称：辽宁某某律师事务所', 'org', '辽宁某某律师事务所'],
    ['辽宁某某律师事务所', 'org', '辽宁某某律师事务所'],
  ] as const)('%s → %s', (answer, kind, name) => {
    expect(nameFromAnswer(answer, kind)).toBe(name);
  });

  it('a note after the applicant\'s phone is echoed as added to the information asked for (所需信息), not to a 诉求; in English too', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await toNameStep(c);
    let r = await c.press(await c.say('张三'), '居民身份证');
    r = await c.say(PERSON_ID);
    r = await c.say('溪湖区2026年义务教育学校招生计划');
    r = await c.say('13912345678，白天打');
    expect(texts(r)).toBe('电话已记下；“白天打”已补充到所需信息的描述里。\n您希望以什么形式获取这些信息？');
    const confirm = await c.press(await c.press(r, '纸质'), '自取');
    expect(texts(confirm)).toContain('所需信息：溪湖区2026年义务教育学校招生计划\n白天打\n');
    await c.press(confirm, '确认提交');
    expect((await cases.get('XH-2026-000001'))?.text).toBe('溪湖区2026年义务教育学校招生计划\n白天打');
    await db.close();

    const en = await makeEngine(tempDbPath());
    const e = chat(en.engine);
    const extra = { platformLocale: 'en' as const };
    await e.say('/lang en', { ...extra, command: 'lang' });
    r = await e.say('我要申请政府信息公开', extra);
    r = await e.press(r, 'Individual');
    r = await e.press(await e.say('Zhang San', extra), 'Resident ID card');
    r = await e.say(PERSON_ID, extra);
    r = await e.say('溪湖区2026年义务教育学校招生计划', extra);
    r = await e.say('13912345678, call in the daytime', extra);
    expect(texts(r)).toBe('Phone noted; "call in the daytime" was added to the description of the information you ask for.\nIn what form would you like the information?');
    await en.db.close();
  });

  it('reads the one valid number out of a sentence, and reports the problem of a bad one', () => {
    expect(idNumberFromAnswer(PERSON_ID, '居民身份证')).toEqual({ idNumber: PERSON_ID });
    expect(idNumberFromAnswer(`身份证号码是${PERSON_ID}`, '居民身份证')).toEqual({ idNumber: PERSON_ID });
    expect(idNumberFromAnswer('护照号码E12345678，谢谢', '护照')).toEqual({ idNumber: 'E12345678' });
    expect(idNumberFromAnswer('身份证号11010519491231002', '居民身份证')).toEqual({ problem: 'idCardLength', shown: '11010519491231002' });
    expect(idNumberFromAnswer('不知道', '居民身份证')).toMatchObject({ problem: 'idCardLength' });
    expect(idNumberFromAnswer(`${PERSON_ID} ${OTHER_ID}`, '居民身份证')).toEqual({ problem: 'several', shown: '' });
  });
});
