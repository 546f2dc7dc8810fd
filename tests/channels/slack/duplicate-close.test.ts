import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEWS } from '../../../src/channels/slack/types.js';
import { viewSubmission } from '../../helpers/slack-payloads.js';
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
 * "重复件" promises the parent an answer in another case of theirs. Only the same citizen's own case still being
 * handled can keep that promise; staff closing onto another parent's case, or onto a closed one, are told why in
 * Slack and the parent's case stays open (review17 #3).
 */
describe('Slack 办结 as 重复件 (Telegram parents, signed Bolt requests, one SQLite file)', () => {
  const closeAsDuplicate = async (code: string, other: string) => {
    const mark = loop.slack.stub.calls.length;
    await postInteraction(loop.slack.url, viewSubmission({ callbackId: VIEWS.close, privateMetadata: code, values: { basis: 'duplicate', duplicate: other } }));
    return loop.slack.stub.waitFor('chat.postEphemeral', undefined, { since: mark });
  };

  it('refuses another parent\'s case and a closed case with a Chinese reason; the parent gets no false closing', async () => {
    const { stack } = loop;
    const a = telegramParent(loop, 821);
    const b = telegramParent(loop, 822);
    const codeA = await a.file('我要投诉彩屯小学乱收费，每个学生收500元资料费');
    const codeB = await b.file('投诉彩屯小学收资料费500元，太不合理了');
    await stack.cases.act(codeB, { kind: 'claim' }, 'slack:USTAFF1');

    // A is still open: it is another parent's case all the same.
    const other = await closeAsDuplicate(codeB, codeA);
    expect(other.body.text).toContain(`诉求 ${codeB} 不能作为 ${codeA} 的重复件办结：${codeA} 是另一位诉求人的诉求`);
    expect(other.body.text).toContain('其他家长反映同一事项的，请分别答复');
    expect((await stack.cases.get(codeB))?.state).toBe('claimed');

    // B's own earlier case, already closed: nothing more will be answered there.
    const earlier = await b.file('我要投诉彩屯小学食堂饭菜不卫生');
    await stack.cases.act(earlier, { kind: 'claim' }, 'slack:USTAFF1');
    await stack.cases.act(earlier, { kind: 'close', note: '已责令学校整改食堂卫生。' }, 'slack:USTAFF1');
    const closed = await closeAsDuplicate(codeB, earlier);
    expect(closed.body.text).toContain(`${earlier} 当前状态为“已办结”，已不再办理`);
    expect((await stack.cases.get(codeB))?.state).toBe('claimed');
    expect(b.texts().filter((t) => t.includes(`${codeB}`) && t.includes('已办结'))).toEqual([]);
  }, 30_000);

  it('closes onto the same parent\'s case still being handled, and tells them where it is answered', async () => {
    const { stack } = loop;
    const c = telegramParent(loop, 823);
    const first = await c.file('我要投诉彩屯小学乱收费，每个学生收500元资料费');
    const again = await c.file('我要投诉彩屯小学乱收费，资料费500元还不给开收据');
    await stack.cases.act(again, { kind: 'claim' }, 'slack:USTAFF1');
    await postInteraction(loop.slack.url, viewSubmission({ callbackId: VIEWS.close, privateMetadata: again, values: { basis: 'duplicate', duplicate: first } }));
    const told = await c.next((m) => m.text.includes('已办结'));
    expect(told.text).toContain(`您的诉求 ${again} 与您的诉求 ${first} 反映的是同一事项，将在 ${first} 中一并办理答复，本件已办结。`);
    expect((await stack.cases.get(again))?.state).toBe('closed');
    expect((await stack.cases.get(first))?.state).toBe('received');
  }, 30_000);
});
