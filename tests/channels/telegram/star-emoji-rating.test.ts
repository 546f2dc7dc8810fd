import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { startEmulator, type Emulator } from '../../helpers/telegram-emulator.js';
import { createTelegramStack, queuedTelegramReplies, TEST_BOT_INFO, type TelegramStack } from '../../helpers/telegram-harness.js';
import { telegramCallbackUpdate, telegramTextUpdate } from '../../helpers/telegram-updates.js';

/**
 * Stars typed as phone keyboards type them (⭐, with or without the emoji variation selector; 🌟) after staff closed
 * the case, through the real telegraf bot: recorded as the rating, as ★ is, and confirmed to the parent.
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

async function closedCase(chatId: number): Promise<string> {
  await feed(telegramTextUpdate({ chatId, text: '我要投诉彩屯小学乱收费，每个学生收500元资料费' }));
  await feed(telegramCallbackUpdate({ chatId, data: await stack.channel.codec.encode({ kind: 'skip' }), label: '不留电话' }));
  await feed(telegramCallbackUpdate({ chatId, data: await stack.channel.codec.encode({ kind: 'confirm' }), label: '确认提交' }));
  const [row] = await stack.db.all<{ code: string }>('SELECT code FROM cases WHERE chat_id = ?', [String(chatId)]);
  await stack.cases.act(row!.code, { kind: 'claim' }, 'slack:USTAFF1');
  await stack.cases.act(row!.code, { kind: 'close', note: '已责令学校退还资料费。' }, 'slack:USTAFF1');
  return row!.code;
}

describe('Telegram: stars typed with the phone keyboard', () => {
  for (const [chatId, typed, stars] of [[9991, '⭐⭐⭐⭐⭐', 5], [9992, '⭐️⭐️⭐️⭐️', 4], [9993, '🌟🌟🌟', 3]] as const) {
    it(`"${typed}" rates the closed case ${stars} stars`, async () => {
      const code = await closedCase(chatId);
      await feed(telegramTextUpdate({ chatId, text: typed }));
      const rated = (await stack.cases.history(code)).filter((e) => e.kind === 'rated');
      expect(rated).toHaveLength(1);
      expect(rated[0]?.note).toMatch(new RegExp(`^stars5:${stars} `));
      expect((await queuedTelegramReplies(stack.db, chatId)).at(-1)?.text).toBe('感谢您的评价！');
    });
  }
});
