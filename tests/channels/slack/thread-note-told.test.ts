import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageEvent, STAFF_CHANNEL } from '../../helpers/slack-payloads.js';
import { postEvent } from '../../helpers/slack-signer.js';
import { telegramParent } from '../../helpers/telegram-parent.js';
import { startTelegramSlackLoop, type TelegramSlackLoop } from '../../helpers/telegram-slack-loop.js';

let loop: TelegramSlackLoop;
beforeAll(async () => {
  loop = await startTelegramSlackLoop({ at: '2026-03-02T02:00:00Z' }); // Monday 10:00 Beijing
});
afterAll(async () => {
  await loop?.close();
});

const threadOf = async (code: string) => {
  await loop.slack.slack.staffDesk.drainOnce();
  return (await loop.stack.db.get<{ ts: string }>('SELECT ts FROM slack_case_messages WHERE case_code = ?', [code]))!.ts;
};

/**
 * Staff who answer the parent in the case's Slack thread wrote an internal note: the parent gets nothing. They are told
 * so at once, in the thread and only to them, with the way an answer does reach the parent (review17 #12).
 */
describe('a staff message in a case thread (Telegram parent, signed Events API request, one SQLite file)', () => {
  it('stays internal and its author is told how to answer the parent', async () => {
    const parent = telegramParent(loop, 831);
    const code = await parent.file('我要投诉彩屯小学乱收费，每个学生收500元资料费');
    const ts = await threadOf(code);
    const seen = parent.texts().length;
    const mark = loop.slack.stub.calls.length;

    const res = await postEvent(loop.slack.url, messageEvent({ text: '家长您好，资料费已责令学校退还，请查收。', threadTs: ts, eventId: 'EvThread1' }));
    expect(res.status).toBe(200);
    const told = await loop.slack.stub.waitFor('chat.postEphemeral', undefined, { since: mark });
    expect(told.body).toMatchObject({ channel: STAFF_CHANNEL, user: 'USTAFF1', thread_ts: ts });
    expect(told.body.text).toBe(`已记为案件 ${code} 的内部备注，*不会发送给家长*。要答复家长，请点案件消息上的“回复”按钮（或办结时填写给家长的办结答复）。`);
    // Told after the note committed: it is on the case, and nothing went to the parent.
    expect((await loop.stack.cases.history(code)).filter((e) => e.kind === 'note').map((e) => e.note)).toEqual(['家长您好，资料费已责令学校退还，请查收。']);
    expect(await loop.stack.db.all("SELECT id FROM outbox WHERE target = 'telegram' AND state = 'pending'")).toEqual([]);
    expect(parent.texts().slice(seen)).toEqual([]);
  }, 30_000);

  it('on a phone case, says nothing is sent and how to record the answer given by phone', async () => {
    const c = await loop.stack.cases.file({ type: 'complaint', channel: 'phone', text: '来电反映彩屯小学收取资料费500元', contact: '13812345678', actor: 'slack:USTAFF1' });
    const ts = await threadOf(c.code);
    const mark = loop.slack.stub.calls.length;
    await postEvent(loop.slack.url, messageEvent({ text: '已电话告知家长：学校已退费。', threadTs: ts, eventId: 'EvThread2' }));
    const told = await loop.slack.stub.waitFor('chat.postEphemeral', undefined, { since: mark });
    expect(told.body.text).toContain(`已记为案件 ${c.code} 的内部备注。本件不是通过聊天提交的，系统不会发消息给诉求人`);
    expect(told.body.text).toContain('请点案件消息上的“回复”按钮登记答复内容和方式');
  }, 30_000);
});
