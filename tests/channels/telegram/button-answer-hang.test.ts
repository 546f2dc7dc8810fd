import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { startEmulator, type Emulator } from '../../helpers/telegram-emulator.js';
import { createTelegramStack, queuedTelegramReplies, TEST_BOT_INFO, type TelegramStack } from '../../helpers/telegram-harness.js';
import { telegramCallbackUpdate, telegramTextUpdate } from '../../helpers/telegram-updates.js';

/**
 * A button press whose answerCallbackQuery the Bot API never answers (a hung connection, a flaky proxy): answering it
 * only stops the spinner, so the press is handled all the same — 不留电话 shows the summary, 确认提交 files the case.
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
  // The answer is given up after 300 ms (5 s in production), so the test does not wait out the default.
  stack = await createTelegramStack({ apiRoot: emulator.apiRoot, callbackAnswerTimeoutMs: 300 });
  stack.channel.bot.botInfo = TEST_BOT_INFO;
});
afterEach(async () => {
  await stack.close();
});

const feed = (update: Update) => stack.channel.bot.handleUpdate(update);
const texts = async (chatId: number) => (await queuedTelegramReplies(stack.db, chatId)).map((r) => r.text);

describe('Telegram: a button press while answerCallbackQuery hangs', () => {
  it('is handled: the summary, then the filed case with its code', async () => {
    emulator.hang('answerCallbackQuery');
    const chatId = 9801;
    await feed(telegramTextUpdate({ chatId, text: '我要投诉彩屯小学乱收费，每个学生收500元资料费' }));
    await feed(telegramCallbackUpdate({ chatId, data: await stack.channel.codec.encode({ kind: 'skip' }), label: '不留电话' }));
    expect((await texts(chatId)).at(-1)).toMatch(/^请确认您的诉求/);
    await feed(telegramCallbackUpdate({ chatId, data: await stack.channel.codec.encode({ kind: 'confirm' }), label: '确认提交' }));
    expect((await texts(chatId)).at(-1)).toMatch(/^已登记，编号 XH-\d{4}-000001/);
    expect(emulator.calls.filter((c) => c.method === 'answerCallbackQuery')).toHaveLength(2);
    // A message after the presses is answered in its turn, as before.
    await feed(telegramTextUpdate({ chatId, text: '小学什么时候报名？' }));
    expect((await texts(chatId)).at(-1)).toMatch(/报名/);
  });
});
