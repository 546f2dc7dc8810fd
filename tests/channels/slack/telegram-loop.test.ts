import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, VIEWS } from '../../../src/channels/slack/types.js';
import { blockAction, STAFF_CHANNEL, viewSubmission } from '../../helpers/slack-payloads.js';
import type { SlackHarness } from '../../helpers/slack-harness.js';
import { postInteraction } from '../../helpers/slack-signer.js';
import type { BotMessage, Emulator } from '../../helpers/telegram-emulator.js';
import { TEST_BOT_TOKEN, type TelegramStack } from '../../helpers/telegram-harness.js';
import { startTelegramSlackLoop, withButton, type TelegramSlackLoop } from '../../helpers/telegram-slack-loop.js';

/**
 * The bar, in one test: a parent on Telegram (telegraf against the
 * telegram-test-api emulator) and staff on Slack (signed requests to the real
 * Bolt app, Web API on a stub), over one case desk and one SQLite file.
 */
let emulator: Emulator;
let stack: TelegramStack;
let slack: SlackHarness;
let loop: TelegramSlackLoop | undefined;

beforeAll(async () => {
  loop = await startTelegramSlackLoop();
  ({ emulator, stack, slack } = loop);
});

afterAll(async () => {
  await loop?.close();
});

describe('Telegram parent ↔ Slack staff, end to end', () => {
  it('files on Telegram, staff claim and reply in Slack, the parent gets the reply, closes, the parent rates', async () => {
    const chatId = 801;
    const client = emulator.server.getClient(TEST_BOT_TOKEN, { chatId, userId: chatId, firstName: '家长' });
    const next = (predicate: (m: BotMessage) => boolean) => emulator.waitForBotMessage(chatId, predicate);
    const press = (message: BotMessage, label: RegExp) => {
      const button = message.replyMarkup?.inline_keyboard.flat().find((b) => label.test(b.text));
      if (!button) throw new Error(`no button ${label} on "${message.text}"`);
      return client.sendCallback(client.makeCallbackQuery(button.callback_data, { message: { message_id: message.messageId, reply_markup: message.replyMarkup } as never }));
    };

    // The parent files a complaint on Telegram; the text tries to ping the whole staff channel.
    await client.sendMessage(client.makeMessage('我要投诉彩屯小学乱收费 <!channel> 每个学生收500元资料费'));
    await press(await next(withButton(/不留电话/)), /不留电话/);
    await press(await next(withButton(/确认提交/)), /确认提交/);
    const filed = await next((m) => /XH-\d{4}-\d{6}/.test(m.text) && m.text.includes('已登记'));
    const code = /XH-\d{4}-\d{6}/.exec(filed.text)?.[0] ?? '';

    // The staff channel gets the case message with its buttons, the mention neutralised.
    await slack.slack.staffDesk.drainOnce();
    const post = await slack.stub.waitFor('chat.postMessage', (c) => c.body.channel === STAFF_CHANNEL && !c.body.thread_ts);
    const posted = JSON.stringify(post.body.blocks);
    expect(posted).toContain(code);
    expect(posted).toContain('&lt;!channel&gt;');
    expect(posted).not.toContain('<!channel>');
    expect(posted).toContain(CASE_ACTIONS.claim);

    // Claim, then Reply through the modal.
    await postInteraction(slack.url, blockAction({ actionId: CASE_ACTIONS.claim, value: code }));
    await slack.stub.waitFor('chat.update');
    await postInteraction(slack.url, blockAction({ actionId: CASE_ACTIONS.reply, value: code }));
    await slack.stub.waitFor('views.open');
    const answer = '经核查，资料费已责令学校全额退还。';
    await postInteraction(slack.url, viewSubmission({ callbackId: VIEWS.reply, privateMetadata: code, values: { reply: answer } }));

    // The parent receives the reply on Telegram.
    const reply = await next((m) => m.text.includes(answer));
    expect(reply.text).toContain(code);

    // Close in Slack: the parent is asked to rate, and the rating reaches the staff thread.
    await postInteraction(slack.url, blockAction({ actionId: CASE_ACTIONS.close, value: code }));
    const mark = slack.stub.calls.length;
    await postInteraction(slack.url, viewSubmission({ callbackId: VIEWS.close, privateMetadata: code, values: { note: '已退费，已约谈校长。' } }));
    const rating = await next(withButton(/★★★★★/));
    await press(rating, /★★★★★/);
    await next((m) => m.messageId > rating.messageId);
    await slack.slack.staffDesk.drainOnce();
    const rated = await slack.stub.waitFor('chat.postMessage', (c) => String(c.body.text).includes('市民评价'), { since: mark });
    expect(rated.body.thread_ts).toBe((await stack.db.get<{ ts: string }>('SELECT ts FROM slack_case_messages WHERE case_code = ?', [code]))?.ts);
    expect(rated.body.text).toMatch(/市民评价：★★★★★ 非常满意$/);
    expect((await stack.cases.get(code))?.state).toBe('closed');
  });
});
