import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type BotMessage, type Emulator } from '../../helpers/telegram-emulator.js';
import { createTelegramStack, TEST_BOT_TOKEN, type TelegramStack } from '../../helpers/telegram-harness.js';
import { withButton } from '../../helpers/telegram-slack-loop.js';

/**
 * Confirm and cancel buttons are bound to the step they were shown for (the filing, the withdrawal of one case, the
 * erase): an old 确认提交 pressed while a withdrawal or an erase is offered, or an old 取消 pressed during a later
 * filing, is a stale button — the parent is told so and nothing is withdrawn, erased or thrown away. Real telegraf
 * polling against the telegram-test-api emulator, real engine, case desk and SQLite.
 */
let emulator: Emulator;
let stack: TelegramStack;

beforeAll(async () => {
  emulator = await startEmulator();
  stack = await createTelegramStack({ apiRoot: emulator.apiRoot });
  await stack.channel.start();
});

afterAll(async () => {
  await stack?.close();
  await emulator?.close();
});

const STALE = '这个按钮属于之前的一个步骤，这次没有执行任何操作。请使用最新一条消息中的按钮。';

function parent(chatId: number) {
  const client = emulator.server.getClient(TEST_BOT_TOKEN, { chatId, userId: chatId, firstName: '家长' });
  let seen = 0;
  return {
    say: (text: string) => client.sendMessage(client.makeMessage(text)),
    press: (message: BotMessage, label: RegExp) => {
      const button = message.replyMarkup?.inline_keyboard.flat().find((b) => label.test(b.text));
      if (!button) throw new Error(`no button ${label} on "${message.text}"`);
      return client.sendCallback(
        client.makeCallbackQuery(button.callback_data, { message: { message_id: message.messageId, reply_markup: message.replyMarkup } as never }),
      );
    },
    /** The next bot message after the ones already taken that matches. */
    next: async (predicate: (m: BotMessage) => boolean) => {
      const after = seen;
      const found = await emulator.waitForBotMessage(chatId, (m) => m.messageId > after && predicate(m));
      seen = found.messageId;
      return found;
    },
  };
}

async function fileComplaint(p: ReturnType<typeof parent>, text: string): Promise<{ code: string; confirm: BotMessage; phone: BotMessage }> {
  await p.say(text);
  const phone = await p.next(withButton(/不留电话/));
  await p.press(phone, /不留电话/);
  const confirm = await p.next(withButton(/确认提交/));
  await p.press(confirm, /确认提交/);
  const filed = await p.next((m) => m.text.includes('已登记'));
  return { code: /XH-\d{4}-\d{6}/.exec(filed.text)![0], confirm, phone };
}

describe('stale confirm / cancel buttons (telegram emulator)', () => {
  it('an old 确认提交 pressed while 确认撤回 is offered withdraws nothing; the offer still stands', async () => {
    const p = parent(5101);
    const { code, confirm } = await fileComplaint(p, '我要投诉彩屯小学乱收费，每个学生收500元资料费');
    await p.say('撤回');
    const offer = await p.next(withButton(/确认撤回/));
    expect(offer.text).toContain(code);
    await p.press(confirm, /确认提交/);
    expect((await p.next(() => true)).text).toBe(STALE);
    expect((await stack.cases.get(code))?.state).toBe('received');
    // The real button of the offer still works.
    await p.press(offer, /确认撤回/);
    expect((await p.next(() => true)).text).toContain(`已撤回诉求 ${code}`);
    expect((await stack.cases.get(code))?.state).toBe('withdrawn');
  });

  it('an old 确认提交 pressed while 确认删除 is offered erases nothing and withdraws no case', async () => {
    const p = parent(5102);
    const { code, confirm } = await fileComplaint(p, '我要投诉食堂饭菜不卫生，孩子吃了拉肚子');
    await p.say('删除我的数据');
    const offer = await p.next(withButton(/确认删除/));
    await p.press(confirm, /确认提交/);
    expect((await p.next(() => true)).text).toBe(STALE);
    const record = await stack.cases.get(code);
    expect(record?.state).toBe('received');
    expect(record?.text).toBe('我要投诉食堂饭菜不卫生，孩子吃了拉肚子');
    // 取消 of the erase offer keeps the data.
    await p.press(offer, /取消/);
    expect((await p.next(() => true)).text).not.toBe(STALE);
    expect((await stack.cases.get(code))?.chatId).toBe('5102');
  });

  it("an old filing's 取消 pressed during a new filing keeps the new filing, which is then filed", async () => {
    const p = parent(5103);
    const first = await fileComplaint(p, '我要投诉校车经常晚点半小时，孩子上学迟到');
    await p.say('我要投诉彩屯小学乱收费，每个学生收500元资料费，还要求家长必须到指定书店购买教辅');
    const phone = await p.next(withButton(/不留电话/));
    await p.press(first.phone, /取消/);
    expect((await p.next(() => true)).text).toBe(STALE);
    await p.press(phone, /不留电话/);
    const confirm = await p.next(withButton(/确认提交/));
    await p.press(confirm, /确认提交/);
    const filed = await p.next((m) => m.text.includes('已登记'));
    const code = /XH-\d{4}-\d{6}/.exec(filed.text)![0];
    expect(code).not.toBe(first.code);
    expect((await stack.cases.get(code))?.text).toContain('指定书店');
    // The current filing's own 取消 still cancels (a third filing, cancelled with its button).
    await p.say('我要建议学校增加课后服务的种类，比如开设编程课');
    const third = await p.next(withButton(/不留电话/));
    await p.press(third, /取消/);
    expect((await p.next(() => true)).text).toContain('已取消');
  });
});
