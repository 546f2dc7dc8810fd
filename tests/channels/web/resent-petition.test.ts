import { afterEach, describe, expect, it } from 'vitest';
import { createWebStack, WEB_TEST_START, type WebStack } from '../../helpers/web-chat-harness.js';
import { webParent } from '../../helpers/web-chat-client.js';

/**
 * Review 18 R17 through the web chat's real routes: the same complaint sent again — while it is being filed, or after
 * it was filed — is not "另一条诉求" and is not filed as a second, identical case; a different complaint still is.
 */
let stack: WebStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const COMPLAINT = '我要投诉彩屯小学乱收费，每个学生收500元资料费';
const casesOf = (db: WebStack['db']) => db.all<{ code: string; text: string }>('SELECT code, text FROM cases ORDER BY id');

async function start() {
  stack = await createWebStack({}, { now: () => new Date(WEB_TEST_START) });
  return { parent: webParent(stack), db: stack.db };
}

describe('web chat: the same complaint sent twice (review 18 R17)', () => {
  it('sent again at the phone step: said to be the same, not held as another petition; one case is filed', async () => {
    const { parent, db } = await start();
    expect(await parent.say(COMPLAINT)).toContain('请留下联系电话');
    const again = await parent.say('我要投诉彩屯小学乱收费, 每个学生收500元资料费。');
    expect(again).toContain('这条和您正在登记的诉求内容相同，没有重复记下。');
    expect(again).not.toContain('另一条诉求');
    expect(again).toContain('请留下联系电话');
    await parent.press('不留电话');
    const filed = await parent.press('确认提交');
    expect(filed).toMatch(/^已登记，编号 XH-2026-000001（投诉）/);
    expect(filed).not.toContain('另一条诉求');
    expect(await casesOf(db)).toEqual([{ code: 'XH-2026-000001', text: COMPLAINT }]);
  });

  it('sent again after it was filed: the parent gets the existing code, no second case', async () => {
    const { parent, db } = await start();
    const code = await parent.fileComplaint(COMPLAINT);
    const again = await parent.say(COMPLAINT);
    expect(again).toBe(`这条和您已登记的诉求 ${code} 内容相同（当前状态：已受理，待签收），没有重复登记。查询进度请发送“查询进度”；需要补充情况请发送“补充：……”；如果是另一件事，请写明具体情况后再发送。`);
    expect(parent.labels()).toEqual([]);
    expect(await casesOf(db)).toEqual([{ code, text: COMPLAINT }]);
  });

  it('a different second complaint is still filed as a case of its own', async () => {
    const { parent, db } = await start();
    const first = await parent.fileComplaint(COMPLAINT);
    const second = await parent.fileComplaint('我要投诉彩屯小学校车经常晚点半小时，孩子上学迟到');
    expect(second).not.toBe(first);
    expect((await casesOf(db)).map((c) => c.code)).toEqual([first, second]);
  });

  it('once the first case is closed, the same text may be filed again (the matter came back)', async () => {
    const { parent, db } = await start();
    const code = await parent.fileComplaint(COMPLAINT);
    await stack!.cases.act(code, { kind: 'claim' }, 'slack:USTAFF1');
    await stack!.cases.act(code, { kind: 'close', note: '已责令学校退还资料费。' }, 'slack:USTAFF1');
    expect(await parent.fileComplaint(COMPLAINT)).not.toBe(code);
    expect(await casesOf(db)).toHaveLength(2);
  });

  it('with a phone in it: the text is held and stored masked, the number is the contact, and a resend is still the same', async () => {
    const { parent, db } = await start();
    const written = '我要投诉彩屯小学乱收费，我的电话138\u200B1234\u200B5678';
    expect(await parent.say(written)).toContain('138****5678');
    // Held masked in the conversation state while the phone is asked; the number kept apart for the contact.
    const state = JSON.parse((await db.get<{ s: string }>('SELECT state_json AS s FROM conversations'))!.s);
    expect(state.filing).toMatchObject({ content: '我要投诉彩屯小学乱收费，我的电话138****5678', textPhone: '13812345678' });
    expect(await parent.say(written)).toContain('这条和您正在登记的诉求内容相同');
    await parent.press('就用这个号码');
    const code = /XH-\d{4}-\d{6}/.exec(await parent.press('确认提交'))![0];
    // Accepted as the contact: the number is kept whole there only, the text holds it masked.
    expect(await db.all('SELECT code, text, contact FROM cases')).toEqual([{ code, text: '我要投诉彩屯小学乱收费，我的电话138****5678', contact: '13812345678' }]);
    expect(await parent.say(written)).toContain(`这条和您已登记的诉求 ${code} 内容相同`);
    expect(await casesOf(db)).toHaveLength(1);
  });
});
