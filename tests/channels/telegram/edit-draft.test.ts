import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import type { Incoming } from '../../../src/core/types.js';
import { startEmulator, type BotMessage, type Emulator } from '../../helpers/telegram-emulator.js';
import { createTelegramStack, TEST_BOT_TOKEN, type TelegramStack } from '../../helpers/telegram-harness.js';
import { withButton } from '../../helpers/telegram-slack-loop.js';

/**
 * A parent corrects the complaint message (Telegram "edit") before pressing 确认提交: the draft takes the corrected
 * wording and one case is filed with it — not the old wording plus the new one as two cases. Real telegraf (polling
 * against the emulator; the edit through the bot's own handleUpdate, which the emulator cannot send), engine, desk, SQLite.
 */
let emulator: Emulator;
let stack: TelegramStack;
const seen: Incoming[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  stack = await createTelegramStack({ apiRoot: emulator.apiRoot, record: seen });
  await stack.channel.start();
});

afterAll(async () => {
  await stack?.close();
  await emulator?.close();
});

function parent(chatId: number) {
  const client = emulator.server.getClient(TEST_BOT_TOKEN, { chatId, userId: chatId, firstName: '家长' });
  let after = 0;
  const next = async (p: (m: BotMessage) => boolean) => {
    const from = after;
    const message = await emulator.waitForBotMessage(chatId, (m) => m.messageId > from && p(m));
    after = message.messageId;
    return message;
  };
  const press = (message: BotMessage, label: RegExp) => {
    const button = message.replyMarkup!.inline_keyboard.flat().find((b) => label.test(b.text))!;
    return client.sendCallback(client.makeCallbackQuery(button.callback_data, { message: { message_id: message.messageId, reply_markup: message.replyMarkup } as never }));
  };
  let update = 990_000 + chatId * 10;
  let editDate = 1_795_000_000; // each edit is a new version of the message: a later edit_date
  /** The parent edits the message they sent with `text`, as Telegram reports it (edited_message, same message_id). */
  const edit = async (original: string, text: string) => {
    const sent = seen.find((i) => i.chatId === String(chatId) && i.text === original && !i.edited);
    if (!sent?.messageId) throw new Error(`no message "${original}" seen`);
    const base = client.makeMessage(original) as unknown as Record<string, unknown>;
    const { botToken: _token, ...message } = base;
    await stack.channel.bot.handleUpdate({ update_id: update++, edited_message: { ...message, message_id: Number(sent.messageId), text, edit_date: editDate++ } } as unknown as Update);
  };
  return { say: (text: string) => client.sendMessage(client.makeMessage(text)), next, press, edit };
}

async function casesOf(chatId: number) {
  return stack.db.all<{ code: string; text: string }>('SELECT code, text FROM cases WHERE chat_id = ? ORDER BY id', [String(chatId)]);
}

describe('telegram: editing the petition message before it is submitted', () => {
  it('the draft takes the corrected wording, the confirm shows it, and one case is filed with it', async () => {
    const p = parent(1601);
    const before = '我要投诉彩屯小学乱收费，每个学生收500元资料费';
    const after = '我要投诉彩屯小学乱收费，每个学生收800元资料费';
    await p.say(before);
    await p.press(await p.next(withButton(/不留电话/)), /不留电话/);
    expect((await p.next(withButton(/确认提交/))).text).toContain('500元');
    await p.edit(before, after);
    const updated = await p.next((m) => m.text.includes('已按修改后的内容更新'));
    expect(updated.text).toContain('800元');
    const confirm = await p.next(withButton(/确认提交/));
    expect(confirm.text).toContain('每个学生收800元资料费');
    expect(confirm.text).not.toContain('500元');
    await p.press(confirm, /确认提交/);
    await p.next((m) => m.text.includes('已登记'));
    const filed = await casesOf(1601);
    expect(filed.map((c) => c.text)).toEqual([after]);
  });

  it('an edit of a message that is not the draft\'s content points to 修改; without a draft, the old notice', async () => {
    const p = parent(1602);
    await p.say('小学什么时候报名？');
    await p.next((m) => m.text.includes('来源：'));
    await p.edit('小学什么时候报名？', '初中什么时候报名？');
    await p.next((m) => m.text === '您修改了之前发送的消息，修改后的内容不会重新处理。如需按新内容办理，请把它重新发送一条。');
    await p.say('我要投诉彩屯小学乱收费，每个学生收500元资料费');
    await p.next(withButton(/不留电话/));
    await p.edit('小学什么时候报名？', '高中什么时候报名？');
    await p.next((m) => m.text.startsWith('您修改了之前发送的消息，修改后的内容不会重新处理。如需修改正在登记的诉求，请在确认时点“修改”。'));
    expect(await casesOf(1602)).toEqual([]);
  });
});
