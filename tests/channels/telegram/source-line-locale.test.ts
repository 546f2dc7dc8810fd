import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../helpers/telegram-emulator.js';
import { createTelegramStack, TEST_BOT_TOKEN, type TelegramStack } from '../../helpers/telegram-harness.js';

/**
 * A parent whose Telegram app is in English and who never typed /lang is answered in English (the engine takes
 * the platform language); the source line the channel adds under the answer must be English too, not the
 * chat's stored language (none) or the bureau's default (Chinese). Real telegraf, emulator, engine and SQLite.
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

function parent(chatId: number, languageCode: string) {
  const client = emulator.server.getClient(TEST_BOT_TOKEN, { chatId, userId: chatId, firstName: 'Parent' });
  return {
    say: (text: string) => client.sendMessage(client.makeMessage(text, { from: { language_code: languageCode } } as never)),
    next: (predicate: (m: { text: string }) => boolean) => emulator.waitForBotMessage(chatId, predicate),
  };
}

describe('telegram: the source line follows the answer\'s language', () => {
  it('an English app without /lang gets an English answer ending in an English source line', async () => {
    const p = parent(1401, 'en');
    await p.say('primary school registration 小学报名');
    const answer = await p.next((m) => /Source: |来源：/.test(m.text));
    expect(answer.text).toContain('(The bureau publishes this information in Chinese; here is the official text.)');
    expect(answer.text).toMatch(/\n\n<i>Source: [^<]+, updated \d{4}-\d{2}-\d{2}<\/i>$/);
    expect(answer.text).not.toContain('来源：');
  });

  it('a Chinese app still gets the Chinese source line', async () => {
    const p = parent(1402, 'zh-hans');
    await p.say('小学什么时候报名？');
    const answer = await p.next((m) => /Source: |来源：/.test(m.text));
    expect(answer.text).toMatch(/\n\n<i>来源：[^<]+，更新于 \d{4}-\d{2}-\d{2}<\/i>$/);
  });
});
