import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { startEmulator, type Emulator } from '../../helpers/telegram-emulator.js';
import { createTelegramStack, queuedTelegramReplies, TEST_BOT_INFO, type TelegramStack } from '../../helpers/telegram-harness.js';
import { telegramCallbackUpdate, telegramTextUpdate } from '../../helpers/telegram-updates.js';

/**
 * The same complaint sent twice (the parent thought the first did not go through; a client resent it), through the
 * real telegraf bot: not "另一条诉求", never two identical cases; after filing the parent is given the existing code.
 */
let emulator: Emulator;
let stack: TelegramStack;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  stack = await createTelegramStack({ apiRoot: emulator.apiRoot });
  stack.channel.bot.botInfo = TEST_BOT_INFO;
});
afterEach(async () => {
  await stack.close();
});

const feed = (update: Update) => stack.channel.bot.handleUpdate(update);
const texts = async (chatId: number) => (await queuedTelegramReplies(stack.db, chatId)).map((r) => r.text);
const TEXT = '我要投诉彩屯小学乱收费，每个学生收500元资料费';
const ASK_PHONE = '请留下联系电话（手机或带区号的座机），方便工作人员联系您；不想留可以点“不留电话”。';
const press = async (chatId: number, kind: 'skip' | 'confirm', label: string) =>
  feed(telegramCallbackUpdate({ chatId, data: await stack.channel.codec.encode({ kind }), label }));

describe('Telegram: the same petition sent twice', () => {
  it('while it is being filed: said to be the same, the phone asked again, one case', async () => {
    const chatId = 9951;
    await feed(telegramTextUpdate({ chatId, text: TEXT }));
    await feed(telegramTextUpdate({ chatId, text: TEXT }));
    expect((await texts(chatId)).slice(-2)).toEqual(['这条和您正在登记的诉求内容相同，没有重复记下。', ASK_PHONE]);
    await press(chatId, 'skip', '不留电话');
    await press(chatId, 'confirm', '确认提交');
    await press(chatId, 'skip', '不留电话');
    await press(chatId, 'confirm', '确认提交');
    expect(await stack.db.all('SELECT text FROM cases')).toEqual([{ text: TEXT }]);
    expect((await texts(chatId)).join('\n')).not.toContain('另一条诉求');
  });

  it('after it was filed: the existing code, nothing filed again', async () => {
    const chatId = 9952;
    await feed(telegramTextUpdate({ chatId, text: TEXT }));
    await press(chatId, 'skip', '不留电话');
    await press(chatId, 'confirm', '确认提交');
    const [filed] = await stack.db.all<{ code: string }>('SELECT code FROM cases');
    await feed(telegramTextUpdate({ chatId, text: `${TEXT}。` }));
    expect((await texts(chatId)).at(-1)).toBe(
      `这条和您已登记的诉求 ${filed!.code} 内容相同，没有重复登记，工作人员正在办理。查询进度请发送编号 ${filed!.code}；如有新情况，请直接写明要补充的内容。`,
    );
    expect(await stack.db.all('SELECT code FROM cases')).toHaveLength(1);
    // A different complaint is filed as its own.
    await feed(telegramTextUpdate({ chatId, text: '我要投诉彩屯小学延长在校时间，每天放学推迟一小时' }));
    expect((await texts(chatId)).at(-1)).toBe(ASK_PHONE);
  });
});
