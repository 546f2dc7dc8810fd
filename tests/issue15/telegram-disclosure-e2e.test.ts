import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, VIEWS } from '../../src/channels/slack/types.js';
import { blockAction, STAFF_CHANNEL, viewSubmission } from '../helpers/slack-payloads.js';
import type { SlackHarness } from '../helpers/slack-harness.js';
import { postInteraction } from '../helpers/slack-signer.js';
import type { BotMessage, Emulator } from '../helpers/telegram-emulator.js';
import { TEST_BOT_TOKEN, type TelegramStack } from '../helpers/telegram-harness.js';
import { PERSON_ID, PERSON_ID_BAD } from '../helpers/identity-numbers.js';
import { startTelegramSlackLoop, withButton, type TelegramSlackLoop } from '../helpers/telegram-slack-loop.js';

/**
 * Issue 15's bar, end to end: a parent on Telegram (telegraf against the telegram-test-api emulator)
 * files a 政府信息公开申请 the way 第二十九条 asks; staff ask for 补正 and the parent answers; staff on Slack
 * (signed requests to the real Bolt app) close it with the annual report's result and the reply text; the parent rates ★★ and objects,
 * and is told the remedy (行政复议 / 行政诉讼): a disclosure answer is not reopened (review 16 #4). Checked on what lands in each
 * chat and the database.
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

describe('政府信息公开申请 on Telegram, worked in Slack, rated and objected to', () => {
  it('files per 第二十九条, 补正 and its answer, closes with a table 三 result and the reply, ★★ then 不满意 is told the remedy', async () => {
    const chatId = 915;
    const client = emulator.server.getClient(TEST_BOT_TOKEN, { chatId, userId: chatId, firstName: '家长' });
    let seen = 0;
    /** The next bot message after the last one looked at. */
    const next = async (predicate: (m: BotMessage) => boolean = () => true) => {
      const after = seen;
      const m = await emulator.waitForBotMessage(chatId, (x) => x.messageId > after && predicate(x));
      seen = m.messageId;
      return m;
    };
    const say = (text: string) => client.sendMessage(client.makeMessage(text));
    const press = (message: BotMessage, label: RegExp) => {
      const button = message.replyMarkup?.inline_keyboard.flat().find((b) => label.test(b.text));
      if (!button) throw new Error(`no button ${label} on "${message.text}"`);
      return client.sendCallback(client.makeCallbackQuery(button.callback_data, { message: { message_id: message.messageId, reply_markup: message.replyMarkup } as never }));
    };

    // Intake: applicant, name, information, phone, form and delivery, confirm.
    await say('我要申请政府信息公开');
    await press(await next(withButton(/^自然人$/)), /^自然人$/);
    expect((await next()).text).toBe('请填写申请人姓名：');
    await say('王丽');
    // 身份证明 (第二十九条): the document, then its number; a mistyped check digit is refused and retyped.
    await press(await next(withButton(/^居民身份证$/)), /^居民身份证$/);
    expect((await next()).text).toBe('请输入居民身份证号码：');
    await say(PERSON_ID_BAD);
    expect((await next()).text).toBe('证件号码 110105********0021 的校验位与号码不符，可能有一位输错了，请核对后重新输入。');
    expect((await next()).text).toBe('请输入居民身份证号码：');
    await say(PERSON_ID);
    expect((await next()).text).toContain('请描述您要申请公开的政府信息');
    await say('溪湖区2026年小学学区划分方案及其文号');
    expect((await next()).text).toContain('政府信息公开申请须写明联系方式');
    await say('13912345678');
    await press(await next(withButton(/^电子$/)), /^电子$/);
    await press(await next(withButton(/^电子邮件$/)), /^电子邮件$/);
    expect((await next()).text).toBe('请填写接收信息的电子邮箱：');
    await say('wangli@example.cn');
    const confirm = await next(withButton(/确认提交/));
    expect(confirm.text).toContain('申请人：王丽（自然人）\n身份证明：居民身份证 110105********002X\n联系方式：139****5678\n所需信息：溪湖区2026年小学学区划分方案及其文号\n获取方式：电子，电子邮件（wangli@example.cn）');
    await press(confirm, /确认提交/);
    const filed = await next((m) => m.text.includes('已登记'));
    const code = /XH-\d{4}-\d{6}/.exec(filed.text)?.[0] ?? '';
    expect(filed.text).toContain(`已登记，编号 ${code}（政府信息公开申请）`);

    // Staff see the request in Slack with what it asks for, and claim it.
    await slack.slack.staffDesk.drainOnce();
    const post = await slack.stub.waitFor('chat.postMessage', (c) => c.body.channel === STAFF_CHANNEL && !c.body.thread_ts && JSON.stringify(c.body.blocks).includes(code));
    expect(JSON.stringify(post.body.blocks)).toContain('*获取方式*：电子，电子邮件');
    expect(JSON.stringify(post.body.blocks)).toContain('*身份证明*：居民身份证 110105********002X');
    expect(JSON.stringify(post.body)).not.toContain(PERSON_ID);
    expect(await stack.cases.get(code)).toMatchObject({ applicantIdType: '居民身份证', applicantIdNumber: PERSON_ID });
    await postInteraction(slack.url, blockAction({ actionId: CASE_ACTIONS.claim, value: code }));
    await slack.stub.waitFor('chat.update');
    expect((await next()).text).toContain(`您的诉求 ${code} 已由工作人员签收办理`);

    // 要求补正 (第三十条, the issue-13 desk action): the clock stops and the parent is asked; their answer,
    // sent as a Telegram reply to that message, restarts it from zero.
    await stack.cases.requestCorrection(code, '请写明需要哪一学年的学区划分方案', 'slack:U1');
    const correction = await next((m) => m.text.includes('需要补正'));
    expect(correction.text).toContain(`您的政府信息公开申请 ${code} 需要补正：请写明需要哪一学年的学区划分方案`);
    expect((await stack.cases.get(code))?.deadlineOn).toBeNull();
    await client.sendMessage(
      client.makeMessage('需要2026—2027学年的学区划分方案', {
        reply_to_message: { message_id: correction.messageId, from: { id: 666, is_bot: true, first_name: 'Bot' }, chat: { id: chatId, type: 'private' } },
      } as never),
    );
    const restarted = await next((m) => m.text.includes('已收到您对政府信息公开申请'));
    expect(restarted.text).toContain('答复期限重新起算');
    expect((await stack.cases.get(code))?.deadlineOn).not.toBeNull();
    expect((await stack.cases.history(code)).map((e) => e.kind)).toContain('correction_received');

    // Close with the result row of table 三 and the reply text; the applicant type was taken at intake.
    await postInteraction(slack.url, blockAction({ actionId: CASE_ACTIONS.close, value: code }));
    const modal = (await slack.stub.waitFor('views.open')).body.view as { blocks: { block_id?: string; element?: { initial_option?: { value: string } } }[] };
    expect(modal.blocks.find((b) => b.block_id === 'applicant')?.element?.initial_option?.value).toBe('自然人');
    const answer = '学区划分方案（溪教发〔2026〕8号）已发送至您的电子邮箱。';
    await postInteraction(
      slack.url,
      viewSubmission({
        callbackId: VIEWS.close,
        privateMetadata: code,
        values: { note: answer, applicant: { selected_option: { value: '自然人' } }, result: { selected_option: { value: '（一）予以公开' } } },
      }),
    );
    const closing = await next(withButton(/★★★★★/)); // later messages only: the follow-up ack may arrive after the restart notice
    expect(closing.text).toContain(`关于您的诉求 ${code}，工作人员答复如下：\n${answer}\n该诉求已办结。\n办理结果：予以公开`);
    // A disclosure answer is contested by 行政复议 / 行政诉讼, not reopened (review 16 #4): stars only.
    expect(closing.text).toContain('行政复议');
    expect(closing.text).not.toContain('要求重新办理');
    expect(closing.replyMarkup!.inline_keyboard.map((row) => row[0]!.text)).toEqual([
      '★ 非常不满意', '★★ 不满意', '★★★ 一般', '★★★★ 满意', '★★★★★ 非常满意',
    ]);

    // ★★, then 不满意 typed: thanked, then told the remedy; the answer stays closed (and counted where it was given).
    await press(closing, /^★★ /);
    expect((await next()).text).toContain('感谢您的评价');
    await say('不满意，邮件里只有方案正文，没有附件中的学区地图');
    const objection = await next();
    expect(objection.text).toContain(`政府信息公开申请 ${code} 已经作出答复，不能在这里要求重新办理`);
    expect(objection.text).toContain('行政复议');
    const record = await stack.cases.get(code);
    expect(record).toMatchObject({ state: 'closed', disclosureResult: '（一）予以公开' });
    expect(record?.closedAt).not.toBeNull();
    expect(await stack.db.get('SELECT value, label FROM ratings r JOIN cases c ON c.id = r.case_id WHERE c.code = ?', [code])).toEqual({ value: 2, label: '不满意' });

    // Staff read the rating in the case thread.
    await slack.slack.staffDesk.drainOnce();
    const thread = (await stack.db.get<{ ts: string }>('SELECT ts FROM slack_case_messages WHERE case_code = ?', [code]))?.ts;
    const rated = await slack.stub.waitFor('chat.postMessage', (c) => String(c.body.text).includes('市民评价'));
    expect(rated.body.thread_ts).toBe(thread);
    expect(rated.body.text).toMatch(/市民评价：★★☆☆☆ 不满意$/);
  });
});
