import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Update } from 'telegraf/types';
import { startEmulator, type Emulator } from './telegram-emulator.js';
import { createTelegramStack, queuedTelegramReplies, TEST_BOT_INFO, type TelegramStack } from './telegram-harness.js';

/**
 * The set-up the Telegram behaviour tests share, registered as vitest hooks: one emulator for the file and a fresh
 * telegraf stack (its own database) for each test. `feed` hands the real bot an update; `texts` reads the replies
 * queued for a chat, in order.
 */
export function telegramStackPerTest() {
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
  return {
    get stack(): TelegramStack {
      return stack;
    },
    feed: (update: Update) => stack.channel.bot.handleUpdate(update),
    texts: async (chatId: number) => (await queuedTelegramReplies(stack.db, chatId)).map((r) => r.text),
  };
}
