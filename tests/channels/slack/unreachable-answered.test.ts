import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, VIEWS } from '../../../src/channels/slack/types.js';
import { blockAction, viewSubmission } from '../../helpers/slack-payloads.js';
import { postInteraction } from '../../helpers/slack-signer.js';
import { telegramParent } from '../../helpers/telegram-parent.js';
import { startTelegramSlackLoop, type TelegramSlackLoop } from '../../helpers/telegram-slack-loop.js';

let loop: TelegramSlackLoop;
beforeAll(async () => {
  loop = await startTelegramSlackLoop({ at: '2026-03-02T02:00:00Z' }); // Monday 10:00 Beijing
});
afterAll(async () => {
  await loop?.close();
});

/**
 * The 联系不上 message asks the parent to reply if they want the case handled. A parent who does is reachable: the case
 * is open again (staff are told in the thread), the phone they give becomes the contact, and 办结 as 联系不上 is refused
 * with the reason, so the parent is never told "多次联系您未能联系上" minutes after answering (review17 #2).
 */
describe('a parent who answers the 联系不上 message (Telegram parent, signed Bolt requests, one SQLite file)', () => {
  it('reopens the case to staff, becomes its contact, and cannot be closed as 联系不上', async () => {
    const { stack, slack } = loop;
    const parent = telegramParent(loop, 811);
    const code = await parent.file('我要投诉彩屯小学乱收费，每个学生收500元资料费');

    await postInteraction(slack.url, blockAction({ actionId: CASE_ACTIONS.claim, value: code }));
    await slack.stub.waitFor('chat.update');
    await postInteraction(slack.url, blockAction({ actionId: CASE_ACTIONS.unreachable, value: code }));
    const told = await parent.next((m) => m.text.includes('未能联系上'));
    expect(told.text).toContain('如需继续办理，请回复本消息');
    expect((await stack.cases.get(code))?.state).toBe('unreachable');

    // The parent does as asked.
    await parent.answer(told, '我一直在，请打我电话13812345678');
    // The number becomes the case's contact (review 18 R20), said back masked; the words reach staff as a follow-up.
    expect((await parent.next(() => true)).text).toBe(`已把联系电话 138****5678 记入诉求 ${code}，工作人员需要时会打这个电话联系您。`);
    expect((await stack.cases.history(code)).filter((e) => e.kind === 'followup').map((e) => e.note)).toEqual(['我一直在，请打我电话138****5678']);
    const back = (await stack.cases.get(code))!;
    expect(back.state).toBe('claimed');
    expect(back.unreachable).toBe(false);
    expect(back.contact).toBe('13812345678');

    // Staff see it in the case thread, and the card's contact.
    const mark = slack.stub.calls.length;
    await slack.slack.staffDesk.drainOnce();
    const line = await slack.stub.waitFor('chat.postMessage', (c) => String(c.body.text).includes('回复了'), { since: mark });
    expect(String(line.body.text)).toContain('诉求人在登记“联系不上”后回复了，诉求恢复为“办理中”');
    expect(String(line.body.text)).toContain('不能再按“联系不上”办结');
    const card = await slack.stub.waitFor('chat.update', undefined, { since: mark });
    expect(JSON.stringify(card.body.blocks)).toContain('138****5678');

    // 办结 as 联系不上 with no answer: refused with the reason, the parent is told nothing.
    const before = parent.texts().length;
    const sent = slack.stub.calls.length;
    await postInteraction(slack.url, viewSubmission({ callbackId: VIEWS.close, privateMetadata: code, values: { basis: 'unreachable' } }));
    const refusal = await slack.stub.waitFor('chat.postEphemeral', undefined, { since: sent });
    expect(refusal.body.text).toContain(`诉求 ${code} 不能按“联系不上”办结：登记联系不上之后，诉求人于 2026-03-02`);
    expect(refusal.body.text).toContain('请答复诉求人后办结');
    expect((await stack.cases.get(code))?.state).toBe('claimed');

    // Answered, it closes as any case does.
    await postInteraction(slack.url, viewSubmission({ callbackId: VIEWS.close, privateMetadata: code, values: { note: '经核查，资料费已全部退还。' } }));
    const closing = await parent.next((m) => m.text.includes('已办结'));
    expect(closing.text).toContain('资料费已全部退还');
    expect(parent.texts().slice(before).join('\n')).not.toContain('未能联系上');
  }, 30_000);
});
