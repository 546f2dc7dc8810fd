import { afterEach, describe, expect, it } from 'vitest';
import { createWebStack, WEB_TEST_START, type WebStack } from '../../helpers/web-chat-harness.js';
import { webParent } from '../../helpers/web-chat-client.js';
import { PERSON_ID } from '../../helpers/identity-numbers.js';

/**
 * What a parent types about a case already filed, on the web chat (no "reply to" there): 补充 is added to the open
 * case, the 补正 a disclosure request waits for is taken and restarts its clock (《政府信息公开条例》第三十条), and a new
 * question is still answered as a question. Real web routes, engine, desk and SQLite file; the clock is set.
 */
let stack: WebStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const DAY = 86_400_000;
const followups = async (s: WebStack, code: string) => (await s.cases.history(code)).filter((e) => e.kind === 'followup').map((e) => e.note);

describe('web chat: details added to an open case', () => {
  it('adds 补充 to the only open case, answers a new question as a question, and asks which case when there are two', async () => {
    stack = await createWebStack({}, { now: () => new Date(WEB_TEST_START) });
    const parent = webParent(stack);
    const first = await parent.fileComplaint('我要投诉彩屯小学乱收费，每个学生收500元资料费');

    expect(await parent.say('补充一下，资料费是9月1日开学时班主任收的')).toContain(`已补充到您的诉求 ${first}`);
    expect(await parent.say(`${first.replace(/-/g, '—')} 补充：班主任还说不交就不发书`)).toContain(`已补充到您的诉求 ${first}`);
    expect(await followups(stack, first)).toEqual(['补充一下，资料费是9月1日开学时班主任收的', 'XH—2026—000001 补充：班主任还说不交就不发书']);

    // A question is not an addition: answered from the knowledge base, nothing added to the case.
    const answer = await parent.say('一年级报名要带什么材料');
    expect(answer).not.toContain('已补充');
    expect(answer).toContain('户口');
    // The status request naming the case is still a status request.
    expect(await parent.say(`${first} 办理得怎么样了`)).toContain('状态：');
    expect(await followups(stack, first)).toHaveLength(2);

    const second = await parent.fileComplaint('我还要投诉彩屯小学食堂饭菜不卫生，孩子吃了拉肚子');
    const asked = await parent.say('我想补充情况：收费没有开收据');
    expect(asked).toContain('要补充到哪一件');
    expect(parent.labels()).toEqual([`补充到 ${first}`, `补充到 ${second}`, '这是新问题']);
    expect(await followups(stack, first)).toHaveLength(2);
    expect(await parent.press(`补充到 ${first}`)).toContain(`已补充到您的诉求 ${first}`);
    expect((await followups(stack, first)).at(-1)).toBe('我想补充情况：收费没有开收据');
    expect(await followups(stack, second)).toEqual([]);
    // Answered by typing the case's number instead of pressing its button.
    expect(await parent.say('补充：食堂的饭菜是凉的')).toContain('要补充到哪一件');
    expect(await parent.say(`${second}。`)).toContain(`已补充到您的诉求 ${second}`);
    expect(await followups(stack, second)).toEqual(['补充：食堂的饭菜是凉的']);
  }, 30_000);
});

describe('web chat: the 补正 of a disclosure request', () => {
  async function pendingCorrection(s: WebStack, parent: ReturnType<typeof webParent>) {
    await parent.say('你好');
    const sessionId = (await s.db.get<{ id: string }>('SELECT id FROM web_sessions'))!.id;
    const c = await s.cases.file({
      type: 'disclosure', channel: 'web', chatId: sessionId, citizenRef: sessionId, text: '申请公开溪湖区2026年义务教育学校招生计划',
      contact: '13912345678', citizenName: '张三', actor: 'citizen', idempotencyKey: 'w1', locale: 'zh', applicantType: '自然人',
      applicantIdType: '居民身份证', applicantIdNumber: PERSON_ID, deliveryForm: '电子', deliveryMethod: '电子邮件', deliveryAddress: 'zhang@example.com',
    });
    await s.cases.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    await s.cases.requestCorrection(c.code, '请说明需要哪所学校的招生计划', 'slack:USTAFF1');
    await s.channel.sender.drain();
    expect((await parent.history()).join('\n')).toContain(`您的政府信息公开申请 ${c.code} 需要补正`);
    expect((await s.cases.get(c.code))?.deadlineOn).toBeNull();
    return c.code;
  }

  it('takes the typed 补正 after the applicant confirms it, and restarts the 20 working days from that day', async () => {
    let at = WEB_TEST_START; // Tuesday 2026-11-24
    stack = await createWebStack({}, { now: () => new Date(at) });
    const parent = webParent(stack);
    const code = await pendingCorrection(stack, parent);
    at = WEB_TEST_START + 2 * DAY; // Thursday 2026-11-26: the 补正 arrives

    const asked = await parent.say('我要的是彩屯小学2026年的招生计划');
    expect(asked).toContain(`您的政府信息公开申请 ${code} 正在等待补正`);
    expect(parent.labels()).toEqual(['作为补正提交', '这是新问题']);
    expect((await stack.cases.history(code)).map((e) => e.kind)).not.toContain('correction_received');

    expect(await parent.press('作为补正提交')).toContain(`已收到您的补正，已补充到政府信息公开申请 ${code}`);
    const received = (await stack.cases.history(code)).find((e) => e.kind === 'correction_received');
    expect(received?.note).toBe('我要的是彩屯小学2026年的招生计划');
    // 20 working days counted from 2026-11-26 (no holiday in between): 2026-12-24.
    expect((await stack.cases.get(code))?.deadlineOn).toBe('2026-12-24');
    await stack.channel.sender.drain();
    expect((await parent.history()).join('\n')).toContain(`已收到您对政府信息公开申请 ${code} 的补正，答复期限重新起算，我们将在 2026年12月24日前答复您`);
  }, 30_000);

  it('takes a message that says 补正 at once; a new question asked meanwhile is answered and leaves the clock paused', async () => {
    stack = await createWebStack({}, { now: () => new Date(WEB_TEST_START) });
    const parent = webParent(stack);
    const code = await pendingCorrection(stack, parent);

    expect(await parent.say('一年级报名要带什么材料')).toContain('正在等待补正');
    const answer = await parent.press('这是新问题');
    expect(answer).toContain('户口');
    expect((await stack.cases.history(code)).map((e) => e.kind)).not.toContain('correction_received');
    expect((await stack.cases.get(code))?.deadlineOn).toBeNull();

    expect(await parent.say('补正：要彩屯小学的')).toContain(`已补充到政府信息公开申请 ${code}`);
    expect((await stack.cases.history(code)).filter((e) => e.kind === 'correction_received').map((e) => e.note)).toEqual(['补正：要彩屯小学的']);
    expect((await stack.cases.get(code))?.deadlineOn).not.toBeNull();
  }, 30_000);
});

describe('web chat: an addition after the only case was closed', () => {
  it('is not answered as a new question: typed 作为新诉求提交 files it as a new petition once confirmed; past REOPEN_DAYS no objection is offered', async () => {
    let at = WEB_TEST_START; // Tuesday 2026-11-24 09:30 in Asia/Shanghai
    stack = await createWebStack({}, { now: () => new Date(at) });
    const parent = webParent(stack);
    const first = await parent.fileComplaint('我要投诉彩屯小学乱收费，每个学生收500元资料费');
    await stack.cases.act(first, { kind: 'claim' }, 'slack:USTAFF1');
    await stack.cases.act(first, { kind: 'close', note: '经核实，学校已退费。' }, 'slack:USTAFF1');
    await stack.channel.sender.drain();
    at = WEB_TEST_START + 2 * DAY;

    const offer = await parent.say('我想补充情况：一年级报名要带的材料学校也没有公示');
    expect(offer).toContain(`您的诉求 ${first} 已于 2026年11月24日 办结，这条消息没有补充到任何诉求。`);
    expect(offer).not.toContain('户口');
    // The closing message (its stars and 不满意) arrived meanwhile and comes back first in this response.
    expect(parent.labels().slice(-3)).toEqual(['不满意，要求重新办理', '作为新诉求提交', '不用了']);
    expect(await followups(stack, first)).toEqual([]);

    // The filing flow, as when the petition is typed: its words name no type, so the type is asked first.
    expect(await parent.say('作为新诉求提交')).toContain('请选择诉求类型');
    expect(await parent.press(/投诉/)).toContain('请留下联系电话');
    expect(await stack.cases.list({ channel: 'web' })).toHaveLength(1);
    expect(await parent.press('不留电话')).toContain('内容：我想补充情况：一年级报名要带的材料学校也没有公示');
    const filed = await parent.press('确认提交');
    const second = /已登记，编号 (XH-\d{4}-\d{6})/u.exec(filed)?.[1];
    expect(second).toBeDefined();
    expect((await stack.cases.get(second!))?.text).toBe('我想补充情况：一年级报名要带的材料学校也没有公示');
    expect((await stack.cases.get(first))?.state).toBe('closed');

    await stack.cases.act(second!, { kind: 'claim' }, 'slack:USTAFF1');
    await stack.cases.act(second!, { kind: 'close', note: '已要求学校公示。' }, 'slack:USTAFF1');
    await stack.channel.sender.drain();
    at = WEB_TEST_START + 20 * DAY;
    // The parent has seen the closing message (it comes back with this turn), then adds something.
    expect(await parent.say('谢谢')).toContain(`诉求 ${second}`);
    const late = await parent.say('忘了说，学校的公示栏也没有更新');
    expect(late).toContain(`您的诉求 ${second} 已于 2026年11月26日 办结，不能再补充或要求重新办理`);
    expect(parent.labels()).toEqual(['作为新诉求提交', '不用了']);
    expect(await parent.press('不用了')).toBe(`好的，这条消息没有提交，也没有补充到诉求 ${second}。`);
    expect(await stack.cases.list({ channel: 'web' })).toHaveLength(2);
  }, 30_000);
});
