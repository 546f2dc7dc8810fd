import { afterAll, beforeAll } from 'vitest';
import { startEmulator, type Emulator } from './telegram-emulator.js';
import { createTelegramStack, TEST_BOT_TOKEN, type TelegramStack } from './telegram-harness.js';

/**
 * The set-up of the Telegram tests that run the bot live (long polling the telegram-test-api emulator), registered as
 * vitest hooks: one emulator and one started stack for the file, its desk on a clock that starts at `startMs` and runs
 * at real speed (the sender's pacing waits on it). `parent(chatId)` is a parent typing in that chat.
 */
export function liveTelegramOnSetClock(startMs: number) {
  let emulator: Emulator;
  let stack: TelegramStack;
  const started = Date.now();
  const clock = { now: () => startMs + (Date.now() - started), sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };
  beforeAll(async () => {
    emulator = await startEmulator();
    stack = await createTelegramStack({ apiRoot: emulator.apiRoot, clock });
    await stack.channel.start();
  });
  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });
  return {
    get stack(): TelegramStack {
      return stack;
    },
    get emulator(): Emulator {
      return emulator;
    },
    parent(chatId: number) {
      const client = emulator.server.getClient(TEST_BOT_TOKEN, { chatId, userId: chatId, firstName: '家长' });
      return {
        client,
        say: (text: string) => client.sendMessage(client.makeMessage(text)),
        next: (predicate: (text: string) => boolean) => emulator.waitForBotMessage(chatId, (m) => predicate(m.text)),
        all: () => emulator.botMessages(chatId).map((m) => m.text),
      };
    },
  };
}
