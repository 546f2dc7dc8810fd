import { describe, expect, it } from 'vitest';
import { PERSON_ID } from '../../helpers/identity-numbers.js';
import { chat, labels, makeEngine, tempDbPath, texts } from './harness.js';

/**
 * A foreign number's contact card at the contact step of a 政府信息公开申请: that flow has no "不留电话" button (a
 * contact is required), so the refusal names only what the applicant can give instead.
 */
describe('disclosure contact step: a contact card with a foreign number', () => {
  it('is refused without mentioning 不留电话, and names e-mail and postal address', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    let r = await c.say('我要申请政府信息公开');
    r = await c.press(r, '自然人');
    r = await c.say('王丽');
    r = await c.press(r, '居民身份证');
    r = await c.say(PERSON_ID);
    r = await c.say('溪湖区2026年小学学区划分方案及其文号');
    expect(texts(r)).toContain('政府信息公开申请须写明联系方式');
    r = await c.say('', { sharedContact: { own: true, phone: null, name: '王丽' } });
    expect(texts(r)).toContain('您分享的号码不是中国大陆的电话号码，工作人员无法回拨，所以没有记下。请输入大陆手机号或带区号的座机，也可以留电子邮箱或通讯地址。');
    expect(texts(r)).not.toContain('不留电话');
    expect(labels(r)).not.toContain('不留电话');
    await db.close();
  });
});
