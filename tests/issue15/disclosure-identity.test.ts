import { describe, expect, it } from 'vitest';
import { runStaffCommand } from '../../src/channels/console/staff.js';
import { isCreditCode, isResidentIdNumber } from '../../src/core/cases/identity.js';
import { CREDIT_CODE, CREDIT_CODE_MASKED, PERSON_ID, PERSON_ID_BAD, PERSON_ID_MASKED } from '../helpers/identity-numbers.js';
import { chat, labels, makeEngine, tempDbPath, texts } from '../core/engine/harness.js';

/**
 * 《政府信息公开条例》第二十九条 asks for the applicant's 身份证明. The chat flow asks for it after the name:
 * a person's document and number, an organisation's 统一社会信用代码, each checked with its check character;
 * a bad number is refused with what is wrong and retyped, nothing else typed is lost.
 */
type Chat = ReturnType<typeof chat>;

async function upToIdNumber(c: Chat, name = '张三') {
  let r = await c.say('我要申请政府信息公开');
  r = await c.press(r, '自然人');
  r = await c.say(name);
  expect(labels(r)).toEqual(['居民身份证', '港澳台居民居住证或通行证', '护照', '其他证件', '取消']);
  return r;
}

/** The steps after the 身份证明: description, phone, form and delivery; returns the confirm prompt. */
async function restOfRequest(c: Chat) {
  let r = await c.say('溪湖区2026年义务教育学校招生计划');
  expect(texts(r)).toContain('政府信息公开申请须写明联系方式');
  r = await c.say('13912345678');
  r = await c.press(r, '纸质');
  return c.press(r, '自取');
}

describe('身份证明 in the 政府信息公开申请 flow (第二十九条)', () => {
  it('the check characters follow the standards (GB 11643, GB 32100)', () => {
    expect(isResidentIdNumber(PERSON_ID)).toBe(true);
    expect(isResidentIdNumber(PERSON_ID_BAD)).toBe(false);
    expect(isCreditCode(CREDIT_CODE)).toBe(true);
    expect(isCreditCode(`${CREDIT_CODE.slice(0, 17)}4`)).toBe(false);
    // I, O, S, V, Z are not in the GB 32100 character set.
    expect(isCreditCode(`${CREDIT_CODE.slice(0, 9)}O${CREDIT_CODE.slice(10)}`)).toBe(false);
  });

  it('refuses a bad check digit with a retype message, keeps the name, and takes the corrected number', async () => {
    const { engine, cases, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    let r = await upToIdNumber(c, '王丽');
    r = await c.press(r, '居民身份证');
    expect(texts(r)).toBe('请输入居民身份证号码：');
    r = await c.say(PERSON_ID_BAD);
    expect(texts(r)).toBe('证件号码 110105********0021 的校验位与号码不符，可能有一位输错了，请核对后重新输入。\n请输入居民身份证号码：');
    expect(labels(r)).toEqual(['取消', '取消']);
    r = await c.say('11010519491231002'); // 17 digits
    expect(texts(r)).toContain('居民身份证号码应为 18 位');
    // Full-width digits, a lower-case x and spaces are what people type: taken, stored normalised.
    r = await c.say('１１０１０５ １９４９１２３１ ００２x');
    expect(texts(r)).toContain('请描述您要申请公开的政府信息');
    const confirm = await restOfRequest(c);
    expect(texts(confirm)).toContain(`申请人：王丽（自然人）\n身份证明：居民身份证 ${PERSON_ID_MASKED}\n联系方式：139****5678`);
    expect(texts(confirm)).not.toContain(PERSON_ID);
    await c.press(confirm, '确认提交');
    expect(await cases.get('XH-2026-000001')).toMatchObject({ citizenName: '王丽', applicantIdType: '居民身份证', applicantIdNumber: PERSON_ID });
    // Nothing of the number stays in the conversation (its recent lines go to staff with a handoff).
    const state = await db.all<{ state_json: string }>('SELECT state_json FROM conversations');
    expect(state.map((s) => s.state_json).join('')).not.toMatch(/19491231/);
    await db.close();
  });

  it('asks an organisation for its 统一社会信用代码, refusing one whose check character is wrong', async () => {
    const { engine, cases, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    let r = await c.say('我要申请政府信息公开');
    r = await c.press(r, '法人或其他组织');
    r = await c.press(r, '商业企业');
    r = await c.say('本溪某某教育科技有限公司');
    expect(texts(r)).toBe('请输入单位的统一社会信用代码（18 位，见营业执照或登记证书）：');
    r = await c.say(`${CREDIT_CODE.slice(0, 17)}4`);
    expect(texts(r)).toBe(
      '统一社会信用代码 913501********0Y44 的校验码与代码不符，可能有一位输错了，请对照营业执照或登记证书重新输入。\n请输入单位的统一社会信用代码（18 位，见营业执照或登记证书）：',
    );
    r = await c.say('1234');
    expect(texts(r)).toContain('统一社会信用代码应为 18 位数字或大写字母');
    r = await c.say(CREDIT_CODE.toLowerCase());
    expect(texts(r)).toContain('请描述您要申请公开的政府信息');
    const confirm = await restOfRequest(c);
    expect(texts(confirm)).toContain(`申请人：本溪某某教育科技有限公司（商业企业）\n身份证明：统一社会信用代码 ${CREDIT_CODE_MASKED}`);
    await c.press(confirm, '确认提交');
    expect(await cases.get('XH-2026-000001')).toMatchObject({ applicantType: '商业企业', applicantIdType: '统一社会信用代码', applicantIdNumber: CREDIT_CODE });
    const shown = await runStaffCommand(cases, '/case show XH-2026-000001', 'zh');
    expect(shown).toContain(`身份证明：统一社会信用代码 ${CREDIT_CODE_MASKED}`);
    expect(shown).not.toContain(CREDIT_CODE);
    // Closing cannot turn the applicant into a person while the proof on file is a credit code.
    await cases.act('XH-2026-000001', { kind: 'claim' }, 'console');
    const close = { kind: 'close' as const, note: '招生计划已发送。', disclosureResult: '（一）予以公开', applicantType: '自然人' };
    await expect(cases.act('XH-2026-000001', close, 'console')).rejects.toThrow('The applicant is "自然人": the proof of identity must be: 居民身份证/港澳台居民居住证或通行证/护照/其他.');
    await cases.act('XH-2026-000001', { ...close, applicantType: '科研机构' }, 'console');
    expect(await cases.get('XH-2026-000001')).toMatchObject({ state: 'closed', applicantType: '科研机构' });
    await db.close();
  });

  it('takes a passport in English after a language switch, and 修改 → 身份证明 asks only for the document again', async () => {
    const { engine, cases, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    let r = await upToIdNumber(c);
    r = await c.press(r, '护照');
    expect(texts(r)).toBe('请输入护照号码：');
    r = await c.say('English');
    expect(texts(r)).toContain('English');
    r = await c.say('E12');
    expect(texts(r)).toBe('A passport number has 5 to 17 letters and digits; please check it and enter it again.\nPlease enter the document number (Passport):');
    r = await c.say('e12345678');
    expect(texts(r)).toContain('Please describe the information you ask for');
    r = await c.say('溪湖区2026年义务教育学校招生计划');
    expect(texts(r)).toContain('Please leave a phone number (mobile, or landline with area code), an e-mail address or a postal address');
    // Not a contact (第二十九条): refused in English with what is accepted, the typed number starred after its third digit.
    r = await c.say('QQ 12345678');
    expect(texts(r)).toBe(
      '"QQ 123*****" is not a valid contact. Enter a mobile number (e.g. 13812345678), a landline with area code (e.g. 024-42842001), an e-mail address (e.g. name@example.com), or a postal address with street and number.',
    );
    r = await c.say('13912345678');
    r = await c.press(r, '纸质');
    let confirm = await c.press(r, '自取');
    expect(texts(confirm)).toContain('Applicant: 张三 (自然人)\nProof of identity: Passport E******78\n');
    r = await c.press(confirm, 'Edit');
    r = await c.press(r, 'Proof of identity');
    expect(labels(r)).toEqual(['Resident ID card', 'HK/Macao/Taiwan residence or travel permit', 'Passport', 'Other document', 'Cancel']);
    r = await c.say('居民身份证'); // the document's Chinese name is understood in English too
    expect(texts(r)).toBe('Please enter the document number (Resident ID card):');
    confirm = await c.say(PERSON_ID);
    // Straight back to the confirmation: name, description, phone and delivery were kept.
    expect(texts(confirm)).toContain(`Applicant: 张三 (自然人)\nProof of identity: Resident ID card ${PERSON_ID_MASKED}\nContact: 139****5678\nInformation: 溪湖区2026年义务教育学校招生计划`);
    await c.press(confirm, 'Submit');
    expect(await cases.get('XH-2026-000001')).toMatchObject({ applicantIdType: '居民身份证', applicantIdNumber: PERSON_ID });
    await db.close();
  });

  it('取消 at the number step files nothing', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    let r = await upToIdNumber(c);
    r = await c.press(r, '港澳台居民居住证或通行证');
    r = await c.say('X123');
    expect(texts(r)).toContain('通行证号码（如 H12345678');
    r = await c.say('取消');
    expect(texts(r)).toContain('取消');
    expect(await db.get('SELECT COUNT(*) AS n FROM cases')).toEqual({ n: 0 });
    await db.close();
  });
});
