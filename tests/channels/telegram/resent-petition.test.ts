import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type BotMessage, type Emulator } from '../../helpers/telegram-emulator.js';
import { createTelegramStack, TEST_BOT_TOKEN, type TelegramStack } from '../../helpers/telegram-harness.js';
import { withButton } from '../../helpers/telegram-slack-loop.js';

/**
 * Review 18 R17 through real telegraf polling against the telegram-test-api emulator: the same complaint sent twice —
 * during its filing, or after it was filed — gives one case, and the parent is told it was the same.
 */
let emulator: Emulator;
let stack: TelegramStack;
const START = Date.UTC(2026, 10, 24, 1, 30);
const started = Date.now();
const clock = { now: () => START + (Date.now() - started), sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };

beforeAll(async () => {
  emulator = await startEmulator();
  stack = await createTelegramStack({ apiRoot: emulator.apiRoot, clock });
  await stack.channel.start();
});

afterAll(async () => {
  await stack?.close();
  await emulator?.close();
});

const COMPLAINT = '我要投诉彩屯小学乱收费，每个学生收500元资料费';

function parent(chatId: number) {
  const client = emulator.server.getClient(TEST_BOT_TOKEN, { chatId, userId: chatId, firstName: '家长' });
  let seen = 0;
  return {
    say: (text: string) => client.sendMessage(client.makeMessage(text)),
    press: (message: BotMessage, label: RegExp) => {
      const button = message.replyMarkup?.inline_keyboard.flat().find((b) => label.test(b.text));
      if (!button) throw new Error(`no button ${label} on "${message.text}"`);
      return client.sendCallback(client.makeCallbackQuery(button.callback_data, { message: { message_id: message.messageId, reply_markup: message.replyMarkup } as never }));
    },
    next: async (predicate: (m: BotMessage) => boolean) => {
      const after = seen;
      const found = await emulator.waitForBotMessage(chatId, (m) => m.messageId > after && predicate(m));
      seen = found.messageId;
      return found;
    },
  };
}

const casesOf = (chatId: number) => stack.db.all<{ code: string; text: string }>('SELECT code, text FROM cases WHERE chat_id = ? ORDER BY id', [String(chatId)]);

describe('Telegram: the same complaint sent twice (review 18 R17)', () => {
  it('sent again before it is submitted: one case, the parent told it was the same', async () => {
    const p = parent(751);
    await p.say(COMPLAINT);
    await p.next(withButton(/不留电话/));
    await p.say(COMPLAINT);
    await p.next((m) => m.text === '这条和您正在登记的诉求内容相同，没有重复记下。');
    const phone = await p.next(withButton(/不留电话/));
    await p.press(phone, /不留电话/);
    const confirm = await p.next(withButton(/确认提交/));
    await p.press(confirm, /确认提交/);
    const filed = await p.next((m) => m.text.includes('已登记'));
    expect(filed.text).toContain('XH-2026-000001');
    expect(await casesOf(751)).toEqual([{ code: 'XH-2026-000001', text: COMPLAINT }]);
  });

  it('sent again after it was filed: the existing code, no second case', async () => {
    const p = parent(752);
    await p.say(COMPLAINT);
    await p.press(await p.next(withButton(/不留电话/)), /不留电话/);
    await p.press(await p.next(withButton(/确认提交/)), /确认提交/);
    const code = /XH-\d{4}-\d{6}/.exec((await p.next((m) => m.text.includes('已登记'))).text)![0];
    await p.say(COMPLAINT);
    const again = await p.next(() => true);
    expect(again.text).toContain(`这条和您已登记的诉求 ${code} 内容相同`);
    expect(again.text).toContain('没有重复登记');
    expect(await casesOf(752)).toEqual([{ code, text: COMPLAINT }]);
  });
});
