import { afterEach, describe, expect, it } from 'vitest';
import { createWebStack, WEB_TEST_START, type WebStack } from '../../helpers/web-chat-harness.js';
import { webParent } from '../../helpers/web-chat-client.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';

/**
 * Review 18 R20: a phone the parent sends after filing without one ("我的电话是139…", the number alone, "my phone is
 * …") goes onto their open case, is said back masked, and staff see it on the Slack card and in the case thread
 * (masked); "我的电话是…" no longer opens a 转人工 case of its own.
 */
let stack: WebStack | undefined;
let slack: SlackHarness | undefined;
afterEach(async () => {
  await slack?.close();
  await stack?.close();
  slack = stack = undefined;
});

async function start() {
  stack = await createWebStack({}, { now: () => new Date(WEB_TEST_START) });
  return { parent: webParent(stack), db: stack.db };
}

const COMPLAINT = '我要投诉彩屯小学乱收费，每个学生收500元资料费';
const casesOf = (db: WebStack['db']) => db.all<{ code: string; contact: string | null; handoff: number }>('SELECT code, contact, handoff FROM cases ORDER BY id');

describe('web chat: a phone sent after filing without one (review 18 R20)', () => {
  for (const typed of ['我的电话是13912345678', '13912345678', '139 1234 5678'])
    it(`"${typed}" goes onto the case, said back masked; no second case`, async () => {
      const { parent, db } = await start();
      const code = await parent.fileComplaint(COMPLAINT);
      expect(await parent.say(typed)).toBe(`已把联系电话 139****5678 记入诉求 ${code}，工作人员需要时会打这个电话联系您。`);
      expect(await casesOf(db)).toEqual([{ code, contact: '13912345678', handoff: 0 }]);
    });

  it('"刚才忘了留电话，我的电话是…": the phone goes onto the case and the message reaches staff as a follow-up', async () => {
    const { parent, db } = await start();
    const code = await parent.fileComplaint(COMPLAINT);
    expect(await parent.say('刚才忘了留电话，我的电话是13912345678')).toBe(`已把联系电话 139****5678 记入诉求 ${code}，工作人员需要时会打这个电话联系您。`);
    expect(await casesOf(db)).toEqual([{ code, contact: '13912345678', handoff: 0 }]);
    expect(await db.all("SELECT note FROM case_events WHERE kind = 'followup'")).toEqual([{ note: '刚才忘了留电话，我的电话是139****5678' }]);
  });

  it('in English: "my phone number is …" is added and answered in English', async () => {
    const { parent, db } = await start();
    await parent.say('English');
    await parent.say('I want to complain: Caitun Primary School charges every pupil 500 yuan for materials.');
    await parent.press('No phone');
    const code = /XH-\d{4}-\d{6}/.exec(await parent.press('Submit'))?.[0];
    expect(await parent.say('my phone number is 13912345678')).toBe(`Phone 139****5678 has been added to case ${code}; staff will call you on it if needed.`);
    expect(await casesOf(db)).toEqual([{ code, contact: '13912345678', handoff: 0 }]);
  });

  it('with two open cases without a phone the parent is asked which; the button puts it on that case only', async () => {
    const { parent, db } = await start();
    const first = await parent.fileComplaint(COMPLAINT);
    const second = await parent.fileComplaint('我要投诉彩屯小学校车经常晚点半小时，孩子上学迟到');
    expect(await parent.say('我的电话是13912345678')).toBe('您有多件没有留电话的诉求。电话 139****5678 要记入哪一件？请点下面的按钮。');
    expect(parent.labels()).toEqual([`记入 ${first}`, `记入 ${second}`, '不用保存']);
    expect(await casesOf(db)).toEqual([{ code: first, contact: null, handoff: 0 }, { code: second, contact: null, handoff: 0 }]);
    expect(await parent.press(`记入 ${second}`)).toBe(`已把联系电话 139****5678 记入诉求 ${second}，工作人员需要时会打这个电话联系您。`);
    expect(await casesOf(db)).toEqual([{ code: first, contact: null, handoff: 0 }, { code: second, contact: '13912345678', handoff: 0 }]);
  });

  it('"不用保存" keeps nothing', async () => {
    const { parent, db } = await start();
    await parent.fileComplaint(COMPLAINT);
    await parent.fileComplaint('我要投诉彩屯小学校车经常晚点半小时，孩子上学迟到');
    await parent.say('13912345678');
    expect(await parent.press('不用保存')).toBe('好的，电话 139****5678 没有保存。');
    expect((await casesOf(db)).map((c) => c.contact)).toEqual([null, null]);
  });

  it('with no case at all, "我的电话是…" opens no 转人工 case: the parent is told it was not kept and offered filing', async () => {
    const { parent, db } = await start();
    expect(await parent.say('我的电话是13912345678')).toBe('收到号码 139****5678。您目前没有正在办理的诉求，这个号码没有保存。需要登记诉求或人工服务，请点下面的按钮；查询政策请直接用文字提问。');
    expect(parent.labels()).toEqual(['登记诉求', '转人工']);
    expect(await casesOf(db)).toEqual([]);
  });

  it('staff see the new contact on the Slack card and in the case thread, masked; the full number never reaches Slack', async () => {
    const { parent } = await start();
    slack = await startSlackHarness({}, { db: stack!.db, desk: stack!.cases });
    const code = await parent.fileComplaint(COMPLAINT);
    await slack.slack.staffDesk.drainOnce();
    const mark = slack.stub.calls.length;
    await parent.say('我的电话是13912345678');
    await slack.slack.staffDesk.drainOnce();
    const card = await slack.stub.waitFor('chat.update', () => true, { since: mark });
    expect(JSON.stringify(card.body.blocks)).toContain('139****5678');
    const line = await slack.stub.waitFor('chat.postMessage', (p) => Boolean(p.body.thread_ts), { since: mark });
    expect(String(line.body.text)).toMatch(/市民补留联系电话：139\*\*\*\*5678$/);
    expect(JSON.stringify(slack.stub.calls)).not.toContain('13912345678');
    expect(code).toMatch(/^XH-/);
  });
});
